"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Diagram } from "@/components/report/diagram";
import { Dimensions } from "@/components/report/dimensions";
import { FinalCode } from "@/components/report/final-code";
import { QuestionBreakdown } from "@/components/report/question-breakdown";
import { ScoreSummary } from "@/components/report/score-summary";
import { StrengthsAndImprovements } from "@/components/report/strengths-improvements";
import { Transcript } from "@/components/report/transcript";
import { EmptyState } from "@/components/lottie/empty-state";
import { AppShell, PageTitle } from "@/components/shell/app-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageLoading, Spinner } from "@/components/ui/spinner";
import { api } from "@/lib/api/endpoints";
import type { FeedbackReport, Session } from "@/lib/api/types";
import { useQuery } from "@/lib/hooks/use-query";
import { useReport } from "@/lib/hooks/use-report";

function Artifacts({ sessionId, session }: { sessionId: string; session: Session | undefined }) {
  const messages = useQuery(`messages:${sessionId}`, () => api.messages(sessionId));
  const runs = useQuery(session?.type === "coding" ? `runs:${sessionId}` : null, () => api.codeRuns(sessionId));
  const drawing = useQuery(session?.type === "system_design" ? `drawing:${sessionId}` : null, () => api.drawing(sessionId));
  return (
    <>
      {session?.type === "coding" ? (
        runs.data || runs.error ? <FinalCode sessionId={sessionId} runs={runs.data ?? []} /> : <Spinner label="Loading your code…" />
      ) : null}
      {session?.type === "system_design" ? (
        drawing.loading ? <Spinner label="Loading your diagram…" /> : <Diagram scene={drawing.data ?? null} />
      ) : null}
      {messages.data ? <Transcript messages={messages.data} /> : messages.error ? <Alert variant="destructive">{messages.error}</Alert> : <Spinner label="Loading the transcript…" />}
    </>
  );
}

function Report({ report, session }: { report: FeedbackReport; session: Session | undefined }) {
  return (
    <>
      <ScoreSummary report={report} session={session} />
      {report.dimensions.length > 0 ? <Dimensions dimensions={report.dimensions} /> : null}
      <StrengthsAndImprovements report={report} />
      <QuestionBreakdown questions={report.questions} />
    </>
  );
}

function ReportBody({ sessionId }: { sessionId: string }) {
  const { session, view } = useReport(sessionId);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6">
      {view.state === "loading" ? <PageLoading label="Loading your report…" /> : null}
      {view.state === "pending" ? (
        <EmptyState title="Your report is being prepared" testId="report-pending" className="rounded-xl border">
          <span role="status">Scoring usually takes under a minute. This page updates on its own.</span>
        </EmptyState>
      ) : null}
      {view.state === "in_progress" ? (
        <Alert variant="info" data-testid="report-in-progress">
          <span className="flex-1">This interview is still in progress. The report is written once it ends.</span>
          <Button asChild size="sm" variant="outline">
            <Link href={`/interview/?id=${encodeURIComponent(sessionId)}`}>Back to the interview</Link>
          </Button>
        </Alert>
      ) : null}
      {view.state === "error" ? (
        <Alert variant="destructive" role="alert">
          Could not load the report: {view.message}
          {view.retrying ? " (retrying)" : ""}
        </Alert>
      ) : null}
      {view.state === "ready" ? <Report report={view.report} session={session} /> : null}
      {view.state === "pending" || view.state === "ready" ? <Artifacts sessionId={sessionId} session={session} /> : null}
    </div>
  );
}

export function ReportView() {
  const params = useSearchParams();
  const id = params.get("id");
  return (
    <AppShell
      topBar={
        <>
          <Button asChild variant="ghost" size="icon" className="hidden md:inline-flex">
            <Link href="/history/" aria-label="Back to history">
              <ArrowLeft aria-hidden="true" />
            </Link>
          </Button>
          <PageTitle>Feedback report</PageTitle>
        </>
      }
    >
      {id ? (
        <ReportBody key={id} sessionId={id} />
      ) : (
        <Alert variant="destructive" role="alert">
          No interview selected. Open a report from your history.
        </Alert>
      )}
    </AppShell>
  );
}
