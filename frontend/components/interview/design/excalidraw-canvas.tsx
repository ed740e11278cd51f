"use client";

import { Excalidraw } from "@excalidraw/excalidraw";
import "@excalidraw/excalidraw/index.css";
import type { ExcalidrawInitialDataState } from "@excalidraw/excalidraw/types";
import type { DrawingScene } from "@/lib/api/types";

/** Fonts come from our own origin (copied at build time), never from a CDN. */
export const EXCALIDRAW_ASSET_PATH = "/excalidraw-assets/";
if (typeof window !== "undefined") window.EXCALIDRAW_ASSET_PATH = EXCALIDRAW_ASSET_PATH;

export interface ExcalidrawCanvasProps {
  initialScene: DrawingScene | null;
  onChange?: (scene: DrawingScene) => void;
  readOnly?: boolean;
}

/** Loaded only when the Design tab (or the report's diagram) is shown. Collaboration and AI are off. */
export default function ExcalidrawCanvas({ initialScene, onChange, readOnly = false }: ExcalidrawCanvasProps) {
  const initialData = {
    elements: (initialScene?.elements ?? []) as ExcalidrawInitialDataState["elements"],
    appState: { ...(initialScene?.appState ?? {}), viewModeEnabled: readOnly },
    files: (initialScene?.files ?? {}) as ExcalidrawInitialDataState["files"],
    scrollToContent: true,
  } as ExcalidrawInitialDataState;

  return (
    <Excalidraw
      initialData={initialData}
      onChange={(elements, appState, files) =>
        onChange?.({ elements, appState: appState as unknown as Record<string, unknown>, files: files as Record<string, unknown> })
      }
      viewModeEnabled={readOnly}
      isCollaborating={false}
      aiEnabled={false}
      validateEmbeddable={() => false}
      theme="light"
      name="System design"
      UIOptions={{
        canvasActions: { loadScene: false, saveToActiveFile: false, export: false, toggleTheme: false, saveAsImage: true },
      }}
    />
  );
}
