/**
 * The bearer token lives in localStorage (never in a URL, except the
 * WebSocket's, which cannot carry headers). An expired token counts as none.
 */

const TOKEN_KEY = "rehearse.token";
const EXPIRES_KEY = "rehearse.token_expires_at";
const EMAIL_KEY = "rehearse.email";

export function saveToken(token: string, expiresInSeconds: number, email?: string): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(EXPIRES_KEY, String(Date.now() + expiresInSeconds * 1000));
  if (email) localStorage.setItem(EMAIL_KEY, email);
}

export function getToken(): string | null {
  if (typeof window === "undefined") return null;
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const expiresAt = Number(localStorage.getItem(EXPIRES_KEY));
  if (Number.isFinite(expiresAt) && expiresAt > 0 && Date.now() >= expiresAt) {
    clearToken();
    return null;
  }
  return token;
}

export function getEmail(): string | null {
  if (typeof window === "undefined") return null;
  return localStorage.getItem(EMAIL_KEY);
}

export function clearToken(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(EXPIRES_KEY);
}

/** Only same-site paths may be returned to after signing in (no open redirect). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/signin")) return "/";
  return next;
}

export function signInPath(returnTo?: string): string {
  const next = returnTo ?? (typeof window === "undefined" ? "/" : window.location.pathname + window.location.search);
  const safe = safeNextPath(next);
  return safe === "/" ? "/signin/" : `/signin/?next=${encodeURIComponent(safe)}`;
}

let leftAt = 0;

/**
 * Leave for the sign-in page, remembering where to come back to. Several requests failing with
 * 401 together navigate once (a page restored from the back-forward cache may leave again later).
 */
export function redirectToSignIn(): void {
  clearToken();
  if (typeof window === "undefined") return;
  if (window.location.pathname.startsWith("/signin") || Date.now() - leftAt < 3000) return;
  leftAt = Date.now();
  window.location.assign(signInPath());
}
