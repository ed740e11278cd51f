export interface SocketUrlInput {
  /** `window.location`, or the parts of it that matter. */
  location: { protocol: string; host: string };
  /** An absolute API base (dev only); empty for the same origin. */
  apiBase?: string;
  sessionId: string;
  token: string;
  lastEventId?: string | null;
}

/** ws:// or wss:// following the page (or the API base), with the token and the resume point. */
export function buildSocketUrl({ location, apiBase, sessionId, token, lastEventId }: SocketUrlInput): string {
  let origin: string;
  if (apiBase) {
    const base = new URL(apiBase);
    origin = `${base.protocol === "https:" ? "wss:" : "ws:"}//${base.host}`;
  } else {
    origin = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
  }
  const params = new URLSearchParams({ token });
  if (lastEventId) params.set("last_event_id", lastEventId);
  return `${origin}/ws/${encodeURIComponent(sessionId)}?${params.toString()}`;
}
