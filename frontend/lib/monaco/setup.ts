/**
 * Monaco from node_modules, never from a CDN: @monaco-editor/react is told to
 * use this bundled copy, and every worker label maps to a local module worker
 * (an unmapped label would make Monaco fall back to fetching one).
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";

type WorkerFactory = () => Worker;

const workers: Record<string, WorkerFactory> = {
  json: () => new Worker(new URL("./workers/json.worker.ts", import.meta.url), { type: "module", name: "json" }),
  css: () => new Worker(new URL("./workers/css.worker.ts", import.meta.url), { type: "module", name: "css" }),
  html: () => new Worker(new URL("./workers/html.worker.ts", import.meta.url), { type: "module", name: "html" }),
  typescript: () => new Worker(new URL("./workers/ts.worker.ts", import.meta.url), { type: "module", name: "typescript" }),
  editorWorkerService: () => new Worker(new URL("./workers/editor.worker.ts", import.meta.url), { type: "module", name: "editor" }),
};

const ALIASES: Record<string, string> = {
  scss: "css",
  less: "css",
  handlebars: "html",
  razor: "html",
  javascript: "typescript",
};

export function workerFor(label: string): Worker {
  const name = ALIASES[label] ?? label;
  return (workers[name] ?? workers.editorWorkerService)();
}

let configured = false;

export function setupMonaco(): void {
  if (configured || typeof window === "undefined") return;
  configured = true;
  (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
    getWorker: (_workerId: string, label: string) => workerFor(label),
  };
  loader.config({ monaco });
}
