import { cn } from "@/lib/utils";

export interface ScoreBar {
  key: string;
  label: string;
  score: number | null;
}

export function scoreColor(score: number): string {
  if (score >= 75) return "bg-green-700";
  if (score >= 50) return "bg-blue-700";
  if (score >= 30) return "bg-amber-600";
  return "bg-red-700";
}

/** A horizontal bar per dimension; the numbers are text, the bars are decoration. */
export function ScoreBars({ bars, className }: { bars: ScoreBar[]; className?: string }) {
  return (
    <ul className={cn("flex flex-col gap-3", className)} data-testid="dimension-chart">
      {bars.map((bar) => (
        <li key={bar.key} className="grid grid-cols-[minmax(0,7rem)_1fr_2.5rem] items-center gap-3 text-sm sm:grid-cols-[minmax(0,10rem)_1fr_3rem]">
          <span className="truncate font-medium" title={bar.label}>
            {bar.label}
          </span>
          <span className="h-3 overflow-hidden rounded-full bg-muted" aria-hidden="true">
            {bar.score !== null ? (
              <span className={cn("block h-full rounded-full", scoreColor(bar.score))} style={{ width: `${Math.max(2, Math.min(100, bar.score))}%` }} />
            ) : null}
          </span>
          <span className="text-right font-semibold tabular-nums">
            {bar.score !== null ? Math.round(bar.score) : <span className="font-normal text-muted-foreground">n/a</span>}
            <span className="sr-only">{bar.score !== null ? " out of 100" : " (not scored)"}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
