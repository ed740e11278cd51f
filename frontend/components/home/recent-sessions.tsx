"use client";

import Link from "next/link";
import { EmptyState } from "@/components/lottie/empty-state";
import { SessionList } from "@/components/sessions/session-list";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { Session } from "@/lib/api/types";

interface RecentSessionsProps {
  sessions: Session[] | undefined;
  error: string | undefined;
  onRetry: () => void;
}

export function RecentSessions({ sessions, error, onRetry }: RecentSessionsProps) {
  return (
    <section aria-labelledby="recent-heading" className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 id="recent-heading" className="text-lg font-semibold">
          Recent sessions
        </h2>
        {sessions && sessions.length > 0 ? (
          <Link href="/history/" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
            See all
          </Link>
        ) : null}
      </div>
      {error ? (
        <Alert variant="destructive" role="alert">
          <span className="flex-1">{error}</span>
          <Button size="sm" variant="outline" onClick={onRetry}>
            Retry
          </Button>
        </Alert>
      ) : sessions === undefined ? (
        <Spinner label="Loading sessions…" />
      ) : sessions.length === 0 ? (
        <EmptyState title="No interviews yet" className="rounded-xl border" testId="recent-empty">
          Pick a domain above and start your first practice interview.
        </EmptyState>
      ) : (
        <SessionList sessions={sessions.slice(0, 5)} />
      )}
    </section>
  );
}
