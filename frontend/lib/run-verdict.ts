import type { CodeRun } from "@/lib/api/types";

export type VerdictTone = "success" | "error" | "warning";

export interface RunVerdict {
  tone: VerdictTone;
  headline: string;
  notes: string[];
}

/** The sandbox's wall-clock limit, used when a timed-out run does not report its duration. */
export const DEFAULT_TIME_LIMIT_S = 5;

function seconds(ms: number | null | undefined): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return DEFAULT_TIME_LIMIT_S;
  return Math.max(1, Math.round(ms / 1000));
}

function duration(ms: number | null | undefined): string {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "";
  return ms < 1000 ? ` in ${Math.round(ms)} ms` : ` in ${(ms / 1000).toFixed(1)} s`;
}

/** Plain words for what happened to a run. */
export function describeRun(run: CodeRun): RunVerdict {
  const notes: string[] = [];
  let verdict: Omit<RunVerdict, "notes">;
  switch (run.status) {
    case "ok":
      verdict =
        run.exit_code === 0 || run.exit_code === null
          ? { tone: "success", headline: `Your program ran successfully${duration(run.duration_ms)}.` }
          : { tone: "error", headline: `Your program exited with code ${run.exit_code}.` };
      break;
    case "error":
      verdict = {
        tone: "error",
        headline:
          run.exit_code !== null && run.exit_code !== undefined
            ? `Your program stopped with an error (exit code ${run.exit_code}).`
            : "Your program stopped with an error.",
      };
      break;
    case "timeout":
      verdict = { tone: "warning", headline: `Your program ran out of time (${seconds(run.duration_ms)} s).` };
      break;
    case "memory_limit":
      verdict = { tone: "warning", headline: "Your program ran out of memory." };
      break;
    case "output_limit":
      verdict = { tone: "warning", headline: "Your program printed too much, so the output was cut." };
      break;
    default:
      verdict = { tone: "error", headline: "Your program did not finish normally." };
  }
  if (run.truncated && run.status !== "output_limit") notes.push("The output was cut because it was too long.");
  return { ...verdict, notes };
}
