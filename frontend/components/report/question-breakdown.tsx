import { Check, X } from "lucide-react";
import type { FeedbackReport } from "@/lib/api/types";

export function QuestionBreakdown({ questions }: { questions: FeedbackReport["questions"] }) {
  if (!questions || questions.length === 0) return null;
  return (
    <section aria-labelledby="questions-heading" className="flex flex-col gap-3 rounded-xl border bg-card p-5">
      <h2 id="questions-heading" className="text-lg font-semibold">
        Question by question
      </h2>
      <ol className="flex flex-col gap-4">
        {questions.map((question) => (
          <li key={question.question_id} className="rounded-lg border p-4" data-testid="question-score">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-medium">{question.title}</h3>
              <p className="text-sm">
                <span className="font-semibold tabular-nums">{question.score !== null ? Math.round(question.score) : "n/a"}</span>
                <span className="text-muted-foreground"> / 100 · {question.hints_used} hint{question.hints_used === 1 ? "" : "s"}</span>
              </p>
            </div>
            <div className="mt-2 grid gap-3 text-sm sm:grid-cols-2">
              <div>
                <h4 className="font-medium text-green-900">Covered</h4>
                <ul className="mt-1 flex flex-col gap-1">
                  {question.points_covered.length === 0 ? <li className="text-muted-foreground">None</li> : null}
                  {question.points_covered.map((point) => (
                    <li key={point} className="flex gap-1.5">
                      <Check className="mt-0.5 size-4 shrink-0 text-green-700" aria-hidden="true" />
                      {point}
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h4 className="font-medium text-red-900">Missed</h4>
                <ul className="mt-1 flex flex-col gap-1">
                  {question.points_missed.length === 0 ? <li className="text-muted-foreground">None</li> : null}
                  {question.points_missed.map((point) => (
                    <li key={point} className="flex gap-1.5">
                      <X className="mt-0.5 size-4 shrink-0 text-red-700" aria-hidden="true" />
                      {point}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
