"use client";

import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { API_BASE } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import type { CodeRun, SessionStatus, StoredMessage } from "@/lib/api/types";
import { getToken, redirectToSignIn } from "@/lib/auth";
import { chatReducer, initialChatState, type ChatState } from "@/lib/chat/reducer";
import { newClientId } from "@/lib/utils";
import { CLOSE_NO_SESSION, SessionSocket, type ConnectionState, type ProbeResult } from "@/lib/ws/session-socket";

/** Why a handshake was refused, asked of the REST side with the same token. */
async function probeSession(sessionId: string): Promise<ProbeResult> {
  const status = await api.probeSession(sessionId);
  if (status === 401) return "auth";
  if (status === 404) return "missing";
  return "retry";
}

export interface SessionStream {
  state: ChatState;
  connection: ConnectionState;
  /** Why the stream gave up for good (no such session…), or null. */
  fatal: string | null;
  send: (text: string) => void;
  loadHistory: (messages: StoredMessage[]) => void;
  loadRuns: (runs: CodeRun[]) => void;
  addRun: (run: CodeRun) => void;
  setStatus: (status: SessionStatus, deadline?: string | null) => void;
  dismissError: () => void;
}

/** The live side of an interview: one socket, one reducer, for as long as `active`. */
export function useSessionStream(sessionId: string | null, active: boolean): SessionStream {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [connection, setConnection] = useState<ConnectionState>("idle");
  const [fatal, setFatal] = useState<string | null>(null);
  const socketRef = useRef<SessionSocket | null>(null);
  const lastEventIdRef = useRef<string | null>(null);

  useEffect(() => {
    lastEventIdRef.current = state.lastEventId;
  }, [state.lastEventId]);

  useEffect(() => {
    if (!sessionId || !active) return;
    const socket = new SessionSocket({
      sessionId,
      getToken,
      apiBase: API_BASE,
      initialLastEventId: lastEventIdRef.current,
      onEvent: (event) => dispatch({ type: "event", event }),
      onConnectionChange: (next) => setConnection(next),
      onAuthError: redirectToSignIn,
      probe: () => probeSession(sessionId),
      onFatal: (code) =>
        setFatal(
          code === CLOSE_NO_SESSION
            ? "This interview no longer exists, or it belongs to another account. Live updates have stopped."
            : "The server closed the live connection. Reload the page to try again.",
        ),
    });
    socketRef.current = socket;
    socket.start();
    const wake = () => socket.reconnectNow();
    const onVisible = () => {
      if (document.visibilityState === "visible") wake();
    };
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("online", wake);
      document.removeEventListener("visibilitychange", onVisible);
      socket.stop();
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [sessionId, active]);

  const send = useCallback((text: string) => {
    const clientId = newClientId();
    dispatch({ type: "send", clientId, text, createdAt: new Date().toISOString() });
    socketRef.current?.send({ type: "message", text, client_id: clientId });
  }, []);

  return {
    state,
    connection,
    fatal,
    send,
    loadHistory: useCallback((messages: StoredMessage[]) => dispatch({ type: "history", messages }), []),
    loadRuns: useCallback((runs: CodeRun[]) => dispatch({ type: "runs", runs }), []),
    addRun: useCallback((run: CodeRun) => dispatch({ type: "runs", runs: [run] }), []),
    setStatus: useCallback(
      (status: SessionStatus, deadline?: string | null) => dispatch({ type: "status", status, deadline }),
      [],
    ),
    dismissError: useCallback(() => dispatch({ type: "dismiss_error" }), []),
  };
}
