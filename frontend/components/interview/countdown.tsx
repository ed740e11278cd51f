"use client";

import { Timer } from "lucide-react";
import { describeRemaining, formatRemaining } from "@/lib/countdown";
import { useCountdown } from "@/lib/hooks/use-countdown";
import { cn } from "@/lib/utils";

function threshold(ms: number): string {
  if (ms <= 0) return "Time is up.";
  if (ms <= 60_000) return "One minute left.";
  if (ms <= 5 * 60_000) return "Five minutes left.";
  return "";
}

/** Time left on the server's clock; announces only the 5-minute, 1-minute and final marks. */
export function Countdown({ deadline, offsetMs, running }: { deadline: string | null; offsetMs: number; running: boolean }) {
  const ms = useCountdown(running ? deadline : null, offsetMs);
  if (!running || !deadline) {
    return (
      <span className="inline-flex items-center gap-1.5 rounded-md border px-2 py-1 font-mono text-sm tabular-nums text-muted-foreground" data-testid="countdown">
        <Timer className="size-4" aria-hidden="true" />
        --:--
      </span>
    );
  }
  return (
    <>
      <span
        role="timer"
        aria-label={`Time left: ${describeRemaining(ms)}`}
        data-testid="countdown"
        className={cn(
          "inline-flex items-center gap-1.5 rounded-md border px-2 py-1 font-mono text-sm font-semibold tabular-nums",
          ms <= 60_000 ? "border-red-300 bg-red-50 text-red-900" : ms <= 5 * 60_000 ? "border-amber-300 bg-amber-50 text-amber-950" : "",
        )}
      >
        <Timer className="size-4" aria-hidden="true" />
        {formatRemaining(ms)}
      </span>
      <span className="sr-only" aria-live="polite">
        {threshold(ms)}
      </span>
    </>
  );
}
