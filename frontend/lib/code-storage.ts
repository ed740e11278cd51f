import { asLanguage, type Language } from "@/lib/api/types";

/** Code is kept per session and language, so a reload (or a language switch) loses nothing. */
const key = (sessionId: string, language: Language) => `rehearse.code.${sessionId}.${language}`;
const languageKey = (sessionId: string) => `rehearse.code.${sessionId}.language`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadCode(sessionId: string, language: Language): string | null {
  return storage()?.getItem(key(sessionId, language)) ?? null;
}

export function saveCode(sessionId: string, language: Language, code: string): void {
  try {
    storage()?.setItem(key(sessionId, language), code);
  } catch {
    /* storage full or disabled: the editor still works, only reload-survival is lost */
  }
}

export function loadLanguage(sessionId: string): Language | null {
  return asLanguage(storage()?.getItem(languageKey(sessionId)));
}

export function saveLanguage(sessionId: string, language: Language): void {
  try {
    storage()?.setItem(languageKey(sessionId), language);
  } catch {
    /* see saveCode */
  }
}
