import { interviewSuite } from "./lib/scenario.mjs";

interviewSuite("system_design");
