"use client";

import { CheckCircle2, Clock, WifiOff, X } from "lucide-react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { SessionStatus } from "@/lib/api/types";
import type { ConnectionState } from "@/lib/ws/session-socket";

export function ReconnectBanner({ connection }: { connection: ConnectionState }) {
  if (connection !== "reconnecting") return null;
  return (
    <Alert variant="warning" data-testid="reconnect-banner">
      <WifiOff aria-hidden="true" />
      <span>Connection lost. Reconnecting… Messages you send now will go out once it is back.</span>
    </Alert>
  );
}

export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <Alert variant="destructive" role="alert">
      <span className="flex-1">{message}</span>
      <button type="button" onClick={onDismiss} aria-label="Dismiss" className="rounded p-0.5 hover:bg-red-100">
        <X aria-hidden="true" />
      </button>
    </Alert>
  );
}

interface OverNoticeProps {
  sessionId: string;
  status: SessionStatus | "time_up";
  feedbackReady: boolean;
}

/** Shown once the interview is over: inputs are locked and the report is on its way. */
export function SessionOverNotice({ sessionId, status, feedbackReady }: OverNoticeProps) {
  const title =
    status === "time_up" ? "Time is up. Wrapping up your interview…" : status === "expired" ? "Time is up. The interview has ended." : "The interview has ended.";
  return (
    <Alert variant="info" data-testid="session-over">
      {feedbackReady ? <CheckCircle2 aria-hidden="true" /> : <Clock aria-hidden="true" />}
      <div className="flex flex-1 flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex-1">
          <p className="font-medium">{title}</p>
          <p>
            {feedbackReady ? (
              "Your feedback report is ready."
            ) : (
              <Spinner label="Your feedback report is being prepared…" />
            )}
          </p>
        </div>
        {status !== "time_up" ? (
          <Button asChild size="sm" variant={feedbackReady ? "default" : "outline"}>
            <Link href={`/report/?id=${encodeURIComponent(sessionId)}`} data-testid="view-report">
              View report
            </Link>
          </Button>
        ) : null}
      </div>
    </Alert>
  );
}
