import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { SessionStatusBadge, sessionHref } from "@/components/sessions/session-status";
import { TYPE_LABELS, type Session } from "@/lib/api/types";
import { formatDate } from "@/lib/utils";

/** Sessions as links: finished ones open their report, open ones the interview. */
export function SessionList({ sessions }: { sessions: Session[] }) {
  return (
    <ul className="divide-y rounded-xl border" data-testid="session-list">
      {sessions.map((session) => (
        <li key={session.id}>
          <Link
            href={sessionHref(session.id, session.status)}
            className="flex items-center gap-3 px-4 py-3 hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
          >
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium">
                {TYPE_LABELS[session.type] ?? session.type}
                {session.question ? <span className="font-normal text-muted-foreground"> · {session.question.title}</span> : null}
              </p>
              <p className="text-xs text-muted-foreground">
                {formatDate(session.start_time ?? session.created_at)} · {session.duration_minutes} min
              </p>
            </div>
            {session.overall_score !== null && session.overall_score !== undefined ? (
              <span className="text-sm font-semibold tabular-nums" aria-label={`Score ${Math.round(session.overall_score)} out of 100`}>
                {Math.round(session.overall_score)}
              </span>
            ) : null}
            <SessionStatusBadge status={session.status} />
            <ChevronRight className="size-4 text-muted-foreground" aria-hidden="true" />
          </Link>
        </li>
      ))}
    </ul>
  );
}
