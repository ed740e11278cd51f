"use client";

import { TrendChart, type TrendPoint } from "@/components/charts/trend-chart";
import { EmptyState } from "@/components/lottie/empty-state";
import { SessionList } from "@/components/sessions/session-list";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { api } from "@/lib/api/endpoints";
import { INTERVIEW_TYPES, TYPE_LABELS, type InterviewType, type Progress } from "@/lib/api/types";
import { useQuery } from "@/lib/hooks/use-query";

const COLORS: Record<InterviewType, string> = { coding: "#1d4ed8", system_design: "#7c3aed", behavioral: "#b45309" };

function pointsOf(progress: Progress, type: InterviewType): TrendPoint[] {
  return (progress.domains?.[type] ?? [])
    .filter((point) => typeof point.overall === "number")
    .map((point) => ({ id: point.session_id, date: point.date, score: point.overall as number }));
}

function Trends({ progress }: { progress: Progress }) {
  const domains = INTERVIEW_TYPES.map((type) => ({ type, points: pointsOf(progress, type) })).filter((domain) => domain.points.length > 0);
  if (domains.length === 0) {
    return <p className="text-sm text-muted-foreground">Finish an interview to start your trend.</p>;
  }
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="trend-charts">
      {domains.map(({ type, points }) => (
        <div key={type} className="rounded-xl border bg-card p-4">
          <h3 className="mb-2 font-medium">{TYPE_LABELS[type]}</h3>
          <TrendChart points={points} label={`${TYPE_LABELS[type]} overall score`} color={COLORS[type]} />
        </div>
      ))}
    </div>
  );
}

export function HistoryView() {
  const sessions = useQuery("sessions", api.sessions);
  const progress = useQuery("progress", api.progress);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-8">
      <section aria-labelledby="trend-heading" className="flex flex-col gap-3">
        <h2 id="trend-heading" className="text-lg font-semibold">
          Score trend
        </h2>
        {progress.error ? <Alert variant="destructive">{progress.error}</Alert> : progress.data ? <Trends progress={progress.data} /> : <Spinner label="Loading your progress…" />}
      </section>
      <section aria-labelledby="past-heading" className="flex flex-col gap-3">
        <h2 id="past-heading" className="text-lg font-semibold">
          Past sessions
        </h2>
        {sessions.error ? (
          <Alert variant="destructive" role="alert">
            <span className="flex-1">{sessions.error}</span>
            <Button size="sm" variant="outline" onClick={sessions.reload}>
              Retry
            </Button>
          </Alert>
        ) : !sessions.data ? (
          <Spinner label="Loading sessions…" />
        ) : sessions.data.length === 0 ? (
          <EmptyState title="No interviews yet" className="rounded-xl border">
            Your finished interviews and their reports will be listed here.
          </EmptyState>
        ) : (
          <SessionList sessions={sessions.data} />
        )}
      </section>
    </div>
  );
}
