import { interviewSuite } from "./lib/scenario.mjs";

interviewSuite("behavioral");
