import { Badge } from "@/components/ui/badge";
import { TYPE_LABELS, VERDICT_LABELS, type FeedbackReport, type Session, type Verdict } from "@/lib/api/types";
import { cn, formatDate } from "@/lib/utils";

const VERDICT_STYLE: Record<Verdict, string> = {
  strong_hire: "bg-green-100 text-green-950 border-green-300",
  hire: "bg-green-50 text-green-950 border-green-300",
  lean_no_hire: "bg-amber-50 text-amber-950 border-amber-300",
  no_hire: "bg-red-50 text-red-950 border-red-300",
};

export function ScoreSummary({ report, session }: { report: FeedbackReport; session: Session | undefined }) {
  const overall = Math.round(report.overall);
  return (
    <section aria-labelledby="summary-heading" className="flex flex-col gap-4 rounded-xl border bg-card p-5 sm:flex-row sm:items-center">
      <div className="flex items-center gap-4">
        <div className="grid size-24 shrink-0 place-items-center rounded-full border-8 border-primary/20" aria-hidden="true">
          <span className="text-3xl font-bold tabular-nums">{overall}</span>
        </div>
        <div>
          <h2 id="summary-heading" className="text-sm font-medium text-muted-foreground">
            Overall score
          </h2>
          <p className="text-2xl font-semibold" data-testid="report-score">
            {overall}
            <span className="text-base font-normal text-muted-foreground"> / 100</span>
          </p>
          <p className={cn("mt-1 inline-flex rounded-full border px-3 py-0.5 text-sm font-semibold", VERDICT_STYLE[report.verdict])} data-testid="verdict">
            {VERDICT_LABELS[report.verdict] ?? report.verdict}
          </p>
        </div>
      </div>
      <dl className="grid flex-1 grid-cols-2 gap-x-4 gap-y-1 text-sm sm:ml-auto sm:max-w-xs">
        {session ? (
          <>
            <dt className="text-muted-foreground">Interview</dt>
            <dd>{TYPE_LABELS[session.type] ?? session.type}</dd>
            <dt className="text-muted-foreground">Date</dt>
            <dd>{formatDate(session.start_time ?? session.created_at)}</dd>
          </>
        ) : null}
        {report.level ? (
          <>
            <dt className="text-muted-foreground">Level</dt>
            <dd className="capitalize">{report.level}</dd>
          </>
        ) : null}
        <dt className="text-muted-foreground">Hints used</dt>
        <dd>{report.hints_used ?? 0}</dd>
        <dt className="text-muted-foreground">Scored by</dt>
        <dd>
          <Badge variant="outline">{report.scorer}</Badge>
        </dd>
      </dl>
    </section>
  );
}
