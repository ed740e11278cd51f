import { ScoreBars } from "@/components/charts/score-bars";
import { EvidenceList } from "@/components/report/evidence-list";
import type { Dimension } from "@/lib/api/types";

export function Dimensions({ dimensions }: { dimensions: Dimension[] }) {
  return (
    <section aria-labelledby="dimensions-heading" className="flex flex-col gap-4 rounded-xl border bg-card p-5">
      <h2 id="dimensions-heading" className="text-lg font-semibold">
        Scores by dimension
      </h2>
      <ScoreBars bars={dimensions.map((dimension) => ({ key: dimension.key, label: dimension.name, score: dimension.score }))} />
      <div className="flex flex-col divide-y">
        {dimensions.map((dimension) => (
          <details key={dimension.key} className="py-2">
            <summary className="cursor-pointer text-sm font-medium">Why {dimension.name} scored {dimension.score !== null ? Math.round(dimension.score) : "n/a"}</summary>
            {dimension.note ? <p className="mt-2 text-sm">{dimension.note}</p> : null}
            <EvidenceList evidence={dimension.evidence} />
          </details>
        ))}
      </div>
    </section>
  );
}
