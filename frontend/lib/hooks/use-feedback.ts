"use client";

import { useEffect, useState } from "react";
import { describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import type { FeedbackResult } from "@/lib/api/types";

const POLL_MS = 3000;

export type FeedbackView = { state: "loading" } | { state: "error"; message: string } | FeedbackResult;

/** The report, polling every few seconds while it is still being scored (202). */
export function useFeedback(sessionId: string): FeedbackView {
  const [view, setView] = useState<{ id: string; value: FeedbackView }>({ id: sessionId, value: { state: "loading" } });

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const result = await api.feedback(sessionId);
        if (cancelled) return;
        setView({ id: sessionId, value: result });
        if (result.state === "pending") timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (cancelled) return;
        setView({ id: sessionId, value: { state: "error", message: describeError(error) } });
        timer = setTimeout(poll, POLL_MS * 3);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [sessionId]);

  return view.id === sessionId ? view.value : { state: "loading" };
}
