"use client";

import { Info, Play } from "lucide-react";
import { useState } from "react";
import { CodeEditor } from "@/components/interview/code/code-editor";
import { OutputPane } from "@/components/interview/code/output-pane";
import { Markdown } from "@/components/markdown/markdown";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { asLanguage, type CodeRun, type Language, type Session } from "@/lib/api/types";
import { loadCode, loadLanguage, saveCode, saveLanguage } from "@/lib/code-storage";

const LANGUAGES: { value: Language; label: string; extension: string }[] = [
  { value: "python", label: "Python", extension: "py" },
  { value: "javascript", label: "JavaScript", extension: "js" },
  { value: "typescript", label: "TypeScript", extension: "ts" },
];

const extensionOf = (language: Language) => LANGUAGES.find((option) => option.value === language)?.extension ?? "txt";

/** The code of the last run in `language`, which the server keeps (another browser, cleared storage). */
function lastRunCode(runs: CodeRun[], language: Language): string | null {
  for (let index = runs.length - 1; index >= 0; index -= 1) {
    const run = runs[index];
    if (run.code && asLanguage(run.language) === language) return run.code;
  }
  return null;
}

interface CodePanelProps {
  session: Session;
  runs: CodeRun[];
  onRun: (run: CodeRun) => void;
  locked: boolean;
}

export function CodePanel({ session, runs, onRun, locked }: CodePanelProps) {
  const [language, setLanguage] = useState<Language>(() => loadLanguage(session.id) ?? "python");
  // null: not edited in this browser; then the last run's code, else the starter code, is shown.
  const [edited, setEdited] = useState<string | null>(() => loadCode(session.id, language));
  const code = edited ?? lastRunCode(runs, language) ?? session.question?.starter_code?.[language] ?? "";
  const [stdin, setStdin] = useState("");
  const [running, setRunning] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const shown = (runId !== null ? runs.find((run) => String(run.id) === runId) : undefined) ?? runs[runs.length - 1] ?? null;

  const changeCode = (next: string) => {
    setEdited(next);
    saveCode(session.id, language, next);
  };

  const changeLanguage = (next: Language) => {
    if (edited !== null) saveCode(session.id, language, edited);
    saveLanguage(session.id, next);
    setLanguage(next);
    setEdited(loadCode(session.id, next));
  };

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      // A 202 comes back as a pending run; its verdict arrives as a code_result event.
      const result = await api.runCode(session.id, { language, code, ...(stdin ? { stdin } : {}) });
      onRun(result);
      setRunId(String(result.id));
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col gap-3 overflow-y-auto p-3 md:p-4 lg:overflow-hidden">
      {session.question ? (
        <details className="shrink-0 rounded-lg border bg-card px-4 py-2 text-sm">
          <summary className="cursor-pointer font-medium">Question: {session.question.title}</summary>
          <Markdown text={session.question.prompt} className="mt-2 max-h-48 overflow-y-auto" />
        </details>
      ) : null}
      <div className="flex shrink-0 flex-wrap items-center gap-2">
        <label htmlFor="language-picker" className="text-sm font-medium">
          Language
        </label>
        <NativeSelect
          id="language-picker"
          value={language}
          onChange={(event) => changeLanguage(event.target.value as Language)}
          data-testid="language-picker"
        >
          {LANGUAGES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </NativeSelect>
        <Button onClick={run} disabled={locked || running || !code.trim()} data-testid="run-button" aria-busy={running}>
          {running ? <Spinner /> : <Play aria-hidden="true" />}
          {running ? "Running…" : "Run"}
        </Button>
        {language === "typescript" ? (
          <p className="flex items-center gap-1 text-xs text-muted-foreground" data-testid="ts-note">
            <Info className="size-3.5" aria-hidden="true" />
            TypeScript is transpiled without type checking: type errors will not stop your program.
          </p>
        ) : null}
      </div>
      {error ? (
        <Alert variant="destructive" role="alert">
          {error}
        </Alert>
      ) : null}
      <div className="grid min-h-0 flex-1 gap-3 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="h-[55vh] min-h-64 overflow-hidden rounded-lg border lg:h-auto" data-testid="code-editor">
          <CodeEditor value={code} language={language} onChange={changeCode} readOnly={locked} path={`${session.id}/main.${extensionOf(language)}`} />
        </div>
        <div className="flex min-h-48 flex-col gap-3 lg:min-h-0">
          <details className="shrink-0 rounded-lg border px-3 py-2 text-sm">
            <summary className="cursor-pointer font-medium">Input (stdin)</summary>
            <label htmlFor="stdin" className="sr-only">
              Program input
            </label>
            <Textarea
              id="stdin"
              value={stdin}
              onChange={(event) => setStdin(event.target.value)}
              disabled={locked}
              className="mt-2 font-mono"
              rows={3}
              placeholder="Text your program reads from standard input"
            />
          </details>
          <OutputPane run={shown} running={running} className="min-h-40 flex-1" />
        </div>
      </div>
    </div>
  );
}
