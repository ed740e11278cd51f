"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import type { DrawingScene } from "@/lib/api/types";
import { liveElements, minimalAppState, sceneFingerprint } from "@/lib/drawing";

export type SaveState = "idle" | "unsaved" | "saving" | "saved" | "error" | "rejected";

export const AUTOSAVE_DELAY_MS = 1500;
const RETRY_DELAY_MS = 5000;

/** A 4xx other than 429 will be answered the same way next time (the interview is over, too big…). */
function isFinalRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/**
 * Debounced saves of the whiteboard: a change schedules a save 1.5 s later;
 * changes that do not alter the scene (pointer moves, selection) are ignored.
 * `flush` saves what is pending now (before the interview ends, say).
 */
export function useDrawingAutosave(sessionId: string, enabled: boolean, initialScene: DrawingScene | null) {
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const [refusal, setRefusal] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<DrawingScene | null>(null);
  const savedFingerprint = useRef<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const pendingFingerprint = useRef<string | null>(null);
  const enabledRef = useRef(enabled);
  const flushRef = useRef<() => Promise<void>>(async () => undefined);

  useEffect(() => {
    enabledRef.current = enabled;
  }, [enabled]);

  useEffect(() => {
    savedFingerprint.current = sceneFingerprint(liveElements(initialScene?.elements ?? []), initialScene?.appState ?? {});
  }, [initialScene]);

  const save = useCallback(
    async (scene: DrawingScene) => {
      const fingerprint = sceneFingerprint(scene.elements, scene.appState);
      setSaveState("saving");
      try {
        await api.saveDrawing(sessionId, scene);
        savedFingerprint.current = fingerprint;
        const changedMeanwhile = latest.current !== scene;
        if (!changedMeanwhile) latest.current = null;
        setSaveState(changedMeanwhile ? "unsaved" : "saved");
        if (changedMeanwhile) timer.current = setTimeout(() => void flushRef.current(), AUTOSAVE_DELAY_MS);
      } catch (error) {
        if (isFinalRefusal(error)) {
          latest.current = null;
          setRefusal(error instanceof Error ? error.message : null);
          setSaveState("rejected");
          return;
        }
        setSaveState("error");
        timer.current = setTimeout(() => void flushRef.current(), RETRY_DELAY_MS);
      }
    },
    [sessionId],
  );

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inFlight.current) await inFlight.current;
    const scene = latest.current;
    if (!scene || !enabledRef.current) return;
    const run = save(scene).finally(() => {
      inFlight.current = null;
    });
    inFlight.current = run;
    await run;
  }, [save]);

  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  const onChange = useCallback(
    (scene: DrawingScene) => {
      if (!enabled) return;
      const appState = minimalAppState(scene.appState);
      const elements = liveElements(scene.elements);
      const fingerprint = sceneFingerprint(elements, appState);
      if (fingerprint === savedFingerprint.current || fingerprint === pendingFingerprint.current) return;
      pendingFingerprint.current = fingerprint;
      latest.current = { elements, appState, files: scene.files };
      setSaveState("unsaved");
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flushRef.current(), AUTOSAVE_DELAY_MS);
    },
    [enabled],
  );

  // Save what is pending when the tab closes or the board goes away.
  useEffect(() => {
    const onHide = () => {
      if (timer.current) void flushRef.current();
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      onHide();
    };
  }, []);

  return { saveState, refusal, onChange, flush: useCallback(() => flushRef.current(), []) };
}
