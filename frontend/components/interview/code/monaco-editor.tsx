"use client";

import Editor from "@monaco-editor/react";
import { Spinner } from "@/components/ui/spinner";
import type { Language } from "@/lib/api/types";
import { setupMonaco } from "@/lib/monaco/setup";

setupMonaco();

export interface CodeEditorProps {
  value: string;
  language: Language;
  onChange: (value: string) => void;
  readOnly?: boolean;
  /** Model path: one model per session and language keeps undo history apart. */
  path: string;
  label?: string;
}

/** Loaded only when the Code tab opens (see code-editor.tsx). */
export default function MonacoCodeEditor({ value, language, onChange, readOnly = false, path, label = "Code editor" }: CodeEditorProps) {
  return (
    <Editor
      value={value}
      language={language}
      path={path}
      onChange={(next) => onChange(next ?? "")}
      loading={<Spinner label="Loading the editor…" />}
      theme="vs"
      options={{
        readOnly,
        minimap: { enabled: false },
        fontSize: 14,
        fontFamily: "var(--font-geist-mono), ui-monospace, monospace",
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: language === "python" ? 4 : 2,
        wordWrap: "on",
        ariaLabel: label,
        accessibilitySupport: "auto",
        padding: { top: 12 },
        fixedOverflowWidgets: true,
      }}
    />
  );
}
