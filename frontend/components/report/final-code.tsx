"use client";

import { OutputPane } from "@/components/interview/code/output-pane";
import { asLanguage, type CodeRun, type Language } from "@/lib/api/types";
import { loadCode, loadLanguage } from "@/lib/code-storage";

/** The last code that ran (from the server when it returns code, else this browser's copy). */
export function FinalCode({ sessionId, runs }: { sessionId: string; runs: CodeRun[] }) {
  const lastRun = runs[runs.length - 1] ?? null;
  const language: Language = asLanguage(lastRun?.language) ?? loadLanguage(sessionId) ?? "python";
  const code = lastRun?.code ?? loadCode(sessionId, language);
  return (
    <section aria-labelledby="code-heading" className="flex flex-col gap-3 rounded-xl border bg-card p-5">
      <h2 id="code-heading" className="text-lg font-semibold">
        Final code <span className="text-sm font-normal capitalize text-muted-foreground">({language})</span>
      </h2>
      {code ? (
        <pre className="max-h-[32rem] overflow-auto rounded-lg bg-slate-900 p-4 font-mono text-[0.8125rem] leading-relaxed text-slate-50" tabIndex={0} data-testid="final-code">
          <code>{code}</code>
        </pre>
      ) : (
        <p className="text-sm text-muted-foreground">No code was saved for this interview.</p>
      )}
      {lastRun ? (
        <div>
          <h3 className="mb-2 font-medium">Last run</h3>
          <OutputPane run={lastRun} running={false} />
        </div>
      ) : null}
    </section>
  );
}
