"use client";

import { useSyncExternalStore } from "react";
import { getToken } from "@/lib/auth";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener("rehearse-auth", onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener("rehearse-auth", onChange);
  };
}

/** The token, or null; `undefined` during prerender and hydration, before storage can be read. */
export function useToken(): string | null | undefined {
  return useSyncExternalStore<string | null | undefined>(subscribe, getToken, () => undefined);
}

export function notifyAuthChanged(): void {
  window.dispatchEvent(new Event("rehearse-auth"));
}
