import { ArrowUpRight, ThumbsUp } from "lucide-react";
import { EvidenceList } from "@/components/report/evidence-list";
import type { FeedbackReport } from "@/lib/api/types";

export function StrengthsAndImprovements({ report }: { report: FeedbackReport }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section aria-labelledby="strengths-heading" className="rounded-xl border bg-card p-5">
        <h2 id="strengths-heading" className="flex items-center gap-2 text-lg font-semibold">
          <ThumbsUp className="size-5 text-green-700" aria-hidden="true" /> Strengths
        </h2>
        {report.strengths.length === 0 ? <p className="mt-2 text-sm text-muted-foreground">None noted this time.</p> : null}
        <ul className="mt-3 flex flex-col gap-4">
          {report.strengths.map((strength, index) => (
            <li key={index}>
              <p className="font-medium">{strength.text}</p>
              <EvidenceList evidence={strength.evidence} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="improvements-heading" className="rounded-xl border bg-card p-5">
        <h2 id="improvements-heading" className="flex items-center gap-2 text-lg font-semibold">
          <ArrowUpRight className="size-5 text-amber-700" aria-hidden="true" /> To improve
        </h2>
        {report.improvements.length === 0 ? <p className="mt-2 text-sm text-muted-foreground">Nothing major. Keep practising.</p> : null}
        <ul className="mt-3 flex flex-col gap-4">
          {report.improvements.map((improvement, index) => (
            <li key={index}>
              <p className="font-medium">{improvement.text}</p>
              {improvement.next_step ? (
                <p className="mt-1 text-sm">
                  <span className="font-medium">Next step: </span>
                  {improvement.next_step}
                </p>
              ) : null}
              <EvidenceList evidence={improvement.evidence} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
