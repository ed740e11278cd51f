"use client";

import { useEffect, useState } from "react";
import { ApiError, describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import type { FeedbackReport, Session } from "@/lib/api/types";

const POLL_MS = 3000;

export type ReportState =
  | { state: "loading" }
  | { state: "error"; message: string; retrying: boolean }
  /** Not over yet: the report is written once the interview ends. */
  | { state: "in_progress" }
  /** Over, and not scored yet. */
  | { state: "pending" }
  | { state: "ready"; report: FeedbackReport };

export interface ReportView {
  session: Session | undefined;
  view: ReportState;
}

async function readReport(sessionId: string): Promise<{ session: Session; view: ReportState }> {
  const session = await api.session(sessionId);
  const over = session.status === "completed" || session.status === "expired";
  // Asking for the report of a running interview is a 409: the session says so first.
  if (!over) return { session, view: { state: "in_progress" } };
  const report = await api.feedback(sessionId);
  return { session, view: report ? { state: "ready", report } : { state: "pending" } };
}

/** The session and its report, polling every few seconds while the report is being scored (202). */
export function useReport(sessionId: string): ReportView {
  const [result, setResult] = useState<{ id: string } & ReportView>({ id: sessionId, session: undefined, view: { state: "loading" } });

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const next = await readReport(sessionId);
        if (cancelled) return;
        setResult({ id: sessionId, ...next });
        if (next.view.state === "pending") timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (cancelled) return;
        const gone = error instanceof ApiError && error.status === 404;
        const message = gone ? "This interview does not exist, or it belongs to another account." : describeError(error);
        setResult((previous) => ({ ...previous, id: sessionId, view: { state: "error", message, retrying: !gone } }));
        if (!gone) timer = setTimeout(poll, POLL_MS * 3);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [sessionId]);

  return result.id === sessionId ? result : { session: undefined, view: { state: "loading" } };
}
