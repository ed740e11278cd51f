import { AlertTriangle, CheckCircle2, XCircle } from "lucide-react";
import { EmptyState } from "@/components/lottie/empty-state";
import { Spinner } from "@/components/ui/spinner";
import type { CodeRun } from "@/lib/api/types";
import { describeRun, type VerdictTone } from "@/lib/run-verdict";
import { cn } from "@/lib/utils";

const TONE_STYLE: Record<VerdictTone, string> = {
  success: "border-green-300 bg-green-50 text-green-950",
  error: "border-red-300 bg-red-50 text-red-950",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
};

function ToneIcon({ tone }: { tone: VerdictTone }) {
  if (tone === "success") return <CheckCircle2 className="size-4 shrink-0" aria-hidden="true" />;
  if (tone === "warning") return <AlertTriangle className="size-4 shrink-0" aria-hidden="true" />;
  return <XCircle className="size-4 shrink-0" aria-hidden="true" />;
}

function Stream({ title, text, testId }: { title: string; text: string; testId: string }) {
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">{title}</h3>
      <pre
        className={cn(
          "max-h-72 overflow-auto whitespace-pre-wrap break-words rounded-md border bg-muted p-3 font-mono text-[0.8125rem] leading-relaxed",
          testId === "run-stderr" && "text-red-900",
        )}
        data-testid={testId}
        tabIndex={0}
      >
        {text}
      </pre>
    </section>
  );
}

interface OutputPaneProps {
  run: CodeRun | null;
  running: boolean;
  className?: string;
}

/** What the last run printed, and what happened to it, in plain words. Text only: never HTML. */
export function OutputPane({ run, running, className }: OutputPaneProps) {
  let body;
  if (running || run?.status === "pending") {
    body = (
      <div className="flex flex-1 items-center justify-center p-6" data-testid="run-running">
        <Spinner label="Running your code… (this can take a few seconds)" />
      </div>
    );
  } else if (!run) {
    body = (
      <EmptyState title="Awaiting your code" testId="output-empty" className="flex-1">
        Press Run to see what your program prints.
      </EmptyState>
    );
  } else {
    const verdict = describeRun(run);
    body = (
      <div className="flex flex-col gap-3 p-3">
        <div className={cn("flex items-start gap-2 rounded-md border px-3 py-2 text-sm font-medium", TONE_STYLE[verdict.tone])} data-testid="run-verdict" role="status">
          <ToneIcon tone={verdict.tone} />
          <div>
            <p>{verdict.headline}</p>
            {verdict.notes.map((note) => (
              <p key={note} className="font-normal">
                {note}
              </p>
            ))}
          </div>
        </div>
        {run.stdout ? <Stream title="Output" text={run.stdout} testId="run-stdout" /> : null}
        {run.stderr ? <Stream title="Errors" text={run.stderr} testId="run-stderr" /> : null}
        {!run.stdout && !run.stderr ? <p className="text-sm text-muted-foreground">Your program printed nothing.</p> : null}
      </div>
    );
  }
  return (
    <section aria-label="Program output" className={cn("flex min-h-0 flex-col overflow-auto rounded-lg border bg-background", className)} data-testid="output-pane">
      {body}
    </section>
  );
}
