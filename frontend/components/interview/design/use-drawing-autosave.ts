"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/lib/api/endpoints";
import type { DrawingScene } from "@/lib/api/types";
import { liveElements, minimalAppState, sceneFingerprint } from "@/lib/drawing";

export type SaveState = "idle" | "unsaved" | "saving" | "saved" | "error";

export const AUTOSAVE_DELAY_MS = 1500;
const RETRY_DELAY_MS = 5000;

/**
 * Debounced saves of the whiteboard: a change schedules a save 1.5 s later;
 * changes that do not alter the scene (pointer moves, selection) are ignored.
 */
export function useDrawingAutosave(sessionId: string, enabled: boolean, initialScene: DrawingScene | null) {
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<DrawingScene | null>(null);
  const savedFingerprint = useRef<string | null>(null);
  const saving = useRef(false);
  const pendingFingerprint = useRef<string | null>(null);
  const flushRef = useRef<() => Promise<void>>(async () => undefined);

  useEffect(() => {
    savedFingerprint.current = sceneFingerprint(liveElements(initialScene?.elements ?? []), initialScene?.appState ?? {});
  }, [initialScene]);

  const flush = useCallback(async () => {
    timer.current = null;
    const scene = latest.current;
    if (!scene || saving.current) return;
    const fingerprint = sceneFingerprint(scene.elements, scene.appState);
    saving.current = true;
    setSaveState("saving");
    try {
      await api.saveDrawing(sessionId, scene);
      savedFingerprint.current = fingerprint;
      const changedMeanwhile = latest.current !== scene;
      setSaveState(changedMeanwhile ? "unsaved" : "saved");
      if (changedMeanwhile) timer.current = setTimeout(() => void flushRef.current(), AUTOSAVE_DELAY_MS);
    } catch {
      setSaveState("error");
      timer.current = setTimeout(() => void flushRef.current(), RETRY_DELAY_MS);
    } finally {
      saving.current = false;
    }
  }, [sessionId]);

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

  // Save what is pending when the tab closes or the interview ends.
  useEffect(() => {
    const onHide = () => {
      if (timer.current) {
        clearTimeout(timer.current);
        void flushRef.current();
      }
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      onHide();
    };
  }, []);

  return { saveState, onChange };
}
