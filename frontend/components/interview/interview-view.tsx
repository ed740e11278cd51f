"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ErrorBanner, ReconnectBanner, SessionOverNotice } from "@/components/interview/banners";
import { ChatPanel } from "@/components/interview/chat/chat-panel";
import { CodePanel } from "@/components/interview/code/code-panel";
import { DesignPanel } from "@/components/interview/design/design-panel";
import { InterviewTabs } from "@/components/interview/interview-tabs";
import { StartPrompt } from "@/components/interview/start-prompt";
import { InterviewTopBar } from "@/components/interview/top-bar";
import { isFinished } from "@/components/sessions/session-status";
import { AppShell, PageTitle } from "@/components/shell/app-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageLoading } from "@/components/ui/spinner";
import { ApiError, describeError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import type { Session } from "@/lib/api/types";
import { estimateClockOffset } from "@/lib/countdown";
import { useCountdown } from "@/lib/hooks/use-countdown";
import { useQuery } from "@/lib/hooks/use-query";
import { useSessionStream } from "@/lib/hooks/use-session-stream";

interface Fetched {
  session: Session;
  /** serverNow − clientNow, estimated at fetch time. */
  offsetMs: number;
}

async function fetchSession(id: string): Promise<Fetched> {
  const sent = Date.now();
  let session: Session;
  try {
    session = await api.session(id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new ApiError(404, "This interview does not exist, or it belongs to another account.");
    }
    throw error;
  }
  const received = Date.now();
  const offsetMs =
    session.deadline && typeof session.remaining_seconds === "number"
      ? estimateClockOffset(session.deadline, session.remaining_seconds, (sent + received) / 2)
      : 0;
  return { session, offsetMs };
}

function Problem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <AppShell topBar={<PageTitle>Interview</PageTitle>}>
      <div className="mx-auto flex max-w-lg flex-col gap-4">
        <Alert variant="destructive" role="alert">
          <div>
            <p className="font-medium">{title}</p>
            {children}
          </div>
        </Alert>
        <Button asChild variant="outline" className="self-start">
          <Link href="/">Back to home</Link>
        </Button>
      </div>
    </AppShell>
  );
}

function LiveInterview({ fetched, reload }: { fetched: Fetched; reload: () => void }) {
  const { session, offsetMs } = fetched;
  const router = useRouter();
  const stream = useSessionStream(session.id, true);
  const { loadHistory, loadRuns, addRun, setStatus } = stream;
  const [ending, setEnding] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const flushDrawing = useRef<(() => Promise<void>) | null>(null);
  const registerFlush = useCallback((flush: (() => Promise<void>) | null) => {
    flushDrawing.current = flush;
  }, []);
  const reportPath = `/report/?id=${encodeURIComponent(session.id)}`;

  const status = stream.state.status ?? session.status;
  const deadline = stream.state.deadline ?? session.deadline;
  const remaining = useCountdown(status === "in_progress" ? deadline : null, offsetMs);
  const timeUp = status === "in_progress" && Boolean(deadline) && remaining <= 0;
  const finished = isFinished(status);
  const locked = finished || timeUp || status !== "in_progress";

  useEffect(() => {
    api.messages(session.id).then(loadHistory, (error: unknown) => setActionError(`Could not load the conversation: ${describeError(error)}`));
    if (session.type === "coding") api.codeRuns(session.id).then(loadRuns, () => undefined);
  }, [session.id, session.type, loadHistory, loadRuns]);

  useEffect(() => {
    if (finished && stream.state.feedbackReady) router.push(reportPath);
  }, [finished, stream.state.feedbackReady, router, reportPath]);

  // Ending: save the whiteboard's pending changes first, then end, then show the report.
  const end = useCallback(async () => {
    setEnding(true);
    setActionError(null);
    try {
      await flushDrawing.current?.();
      const updated = await api.endSession(session.id);
      setStatus(updated.status, updated.deadline);
      router.push(reportPath);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) reload();
      else setActionError(describeError(error));
      setEnding(false);
    }
  }, [session.id, setStatus, reload, router, reportPath]);

  const error = actionError ?? stream.state.error;
  return (
    <AppShell
      fill
      topBar={<InterviewTopBar session={session} status={status} deadline={deadline} offsetMs={offsetMs} onEnd={end} ending={ending} />}
    >
      <div className="flex shrink-0 flex-col gap-2 px-3 pt-2 empty:hidden md:px-6">
        {stream.fatal ? <Alert variant="destructive" role="alert">{stream.fatal}</Alert> : null}
        <ReconnectBanner connection={stream.connection} />
        {error ? <ErrorBanner message={error} onDismiss={() => (actionError ? setActionError(null) : stream.dismissError())} /> : null}
        {finished || timeUp ? (
          <SessionOverNotice sessionId={session.id} status={timeUp && !finished ? "time_up" : status} feedbackReady={stream.state.feedbackReady} />
        ) : null}
        {status === "created" ? <StartPrompt sessionId={session.id} onStarted={reload} /> : null}
      </div>
      <InterviewTabs
        type={session.type}
        chat={<ChatPanel state={stream.state} onSend={stream.send} locked={locked} />}
        code={<CodePanel session={session} runs={stream.state.runs} onRun={addRun} locked={locked} />}
        design={<DesignPanel sessionId={session.id} locked={locked} registerFlush={registerFlush} />}
      />
    </AppShell>
  );
}

function InterviewSession({ sessionId }: { sessionId: string }) {
  const fetcher = useMemo(() => () => fetchSession(sessionId), [sessionId]);
  const query = useQuery(`session:${sessionId}`, fetcher);
  if (query.error && !query.data) {
    return (
      <Problem title="Could not open this interview.">
        <p>{query.error}</p>
      </Problem>
    );
  }
  if (!query.data) {
    return (
      <AppShell topBar={<PageTitle>Interview</PageTitle>}>
        <PageLoading label="Opening your interview…" />
      </AppShell>
    );
  }
  return <LiveInterview fetched={query.data} reload={query.reload} />;
}

export function InterviewView() {
  const params = useSearchParams();
  const id = params.get("id");
  if (!id) {
    return (
      <Problem title="No interview selected.">
        <p>Start a new interview from the home page, or pick one from your history.</p>
      </Problem>
    );
  }
  return <InterviewSession key={id} sessionId={id} />;
}
