"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether looping animations play. Starts from the system's reduced-motion
 * setting; the pause buttons override it, and the choice is remembered.
 */
const KEY = "rehearse.animations";
const EVENT = "rehearse-motion";

function read(): boolean {
  const stored = localStorage.getItem(KEY);
  if (stored === "on") return true;
  if (stored === "off") return false;
  return !window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function useAnimationsEnabled(): boolean {
  return useSyncExternalStore(subscribe, read, () => false);
}

export function setAnimationsEnabled(enabled: boolean): void {
  localStorage.setItem(KEY, enabled ? "on" : "off");
  window.dispatchEvent(new Event(EVENT));
}
