"use client";

import dynamic from "next/dynamic";
import { Spinner } from "@/components/ui/spinner";

/** Monaco (several MB) is fetched only when a code editor is actually shown. */
export const CodeEditor = dynamic(() => import("@/components/interview/code/monaco-editor"), {
  ssr: false,
  loading: () => (
    <div className="flex h-full items-center justify-center text-muted-foreground">
      <Spinner label="Loading the editor…" />
    </div>
  ),
});
