"use client";

import { AlertCircle, Check, CloudUpload } from "lucide-react";
import { useEffect, type ReactNode } from "react";
import { DesignCanvas } from "@/components/interview/design/design-canvas";
import { useDrawingAutosave, type SaveState } from "@/components/interview/design/use-drawing-autosave";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { api } from "@/lib/api/endpoints";
import type { DrawingScene } from "@/lib/api/types";
import { useQuery } from "@/lib/hooks/use-query";

function SaveIndicator({ state, refusal }: { state: SaveState; refusal: string | null }) {
  const content: Record<SaveState, { icon: ReactNode; text: string }> = {
    idle: { icon: <Check aria-hidden="true" />, text: "All changes saved" },
    unsaved: { icon: <CloudUpload aria-hidden="true" />, text: "Unsaved changes" },
    saving: { icon: <Spinner />, text: "Saving…" },
    saved: { icon: <Check aria-hidden="true" />, text: "Saved" },
    error: { icon: <AlertCircle aria-hidden="true" />, text: "Could not save, retrying…" },
    rejected: { icon: <AlertCircle aria-hidden="true" />, text: `Not saved: ${refusal ?? "the server refused the drawing"}` },
  };
  const { icon, text } = content[state];
  return (
    <span
      className={`inline-flex items-center gap-1.5 text-xs [&_svg]:size-3.5 ${state === "error" || state === "rejected" ? "text-red-800" : "text-muted-foreground"}`}
      role="status"
      data-testid="drawing-save-state"
      data-state={state}
    >
      {icon}
      {text}
    </span>
  );
}

interface BoardProps {
  sessionId: string;
  scene: DrawingScene | null;
  locked: boolean;
  /** Hands the parent a way to save pending changes now (before the interview ends). */
  registerFlush?: (flush: (() => Promise<void>) | null) => void;
}

function Board({ sessionId, scene, locked, registerFlush }: BoardProps) {
  const { saveState, refusal, onChange, flush } = useDrawingAutosave(sessionId, !locked, scene);
  useEffect(() => {
    registerFlush?.(flush);
    return () => registerFlush?.(null);
  }, [registerFlush, flush]);
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex shrink-0 items-center justify-between gap-2 border-b px-3 py-1.5">
        <p className="text-xs text-muted-foreground">{locked ? "The whiteboard is read-only now." : "Sketch your design. It saves as you draw."}</p>
        <SaveIndicator state={saveState} refusal={refusal} />
      </div>
      <div className="relative min-h-0 flex-1 touch-none" data-testid="design-canvas">
        <DesignCanvas initialScene={scene} onChange={onChange} readOnly={locked} />
      </div>
    </div>
  );
}

export function DesignPanel({ sessionId, locked, registerFlush }: Omit<BoardProps, "scene">) {
  const drawing = useQuery(`drawing:${sessionId}`, () => api.drawing(sessionId));
  if (drawing.error) {
    return (
      <div className="p-4">
        <Alert variant="destructive" role="alert">
          <span className="flex-1">Could not load your drawing: {drawing.error}</span>
          <Button size="sm" variant="outline" onClick={drawing.reload}>
            Retry
          </Button>
        </Alert>
      </div>
    );
  }
  if (drawing.loading) {
    return (
      <div className="flex h-full items-center justify-center text-muted-foreground">
        <Spinner label="Loading your drawing…" />
      </div>
    );
  }
  return <Board sessionId={sessionId} scene={drawing.data ?? null} locked={locked} registerFlush={registerFlush} />;
}
