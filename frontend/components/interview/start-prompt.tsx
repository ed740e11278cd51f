"use client";

import { Play } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";

/** A session that was created but never started (e.g. the start call failed). */
export function StartPrompt({ sessionId, onStarted }: { sessionId: string; onStarted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.startSession(sessionId);
      onStarted();
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert variant="info">
      <div className="flex flex-1 flex-wrap items-center gap-3">
        <p className="flex-1">This interview has not started yet. The clock starts when you do.</p>
        <Button size="sm" onClick={start} disabled={busy} data-testid="start-session">
          {busy ? <Spinner /> : <Play aria-hidden="true" />}
          Start now
        </Button>
        {error ? <p className="w-full text-red-900">{error}</p> : null}
      </div>
    </Alert>
  );
}
