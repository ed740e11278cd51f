"use client";

import { Countdown } from "@/components/interview/countdown";
import { EndButton } from "@/components/interview/end-button";
import { Badge } from "@/components/ui/badge";
import { TYPE_LABELS, type Session, type SessionStatus } from "@/lib/api/types";

interface TopBarProps {
  session: Session;
  status: SessionStatus;
  deadline: string | null;
  offsetMs: number;
  onEnd: () => void;
  ending: boolean;
}

export function InterviewTopBar({ session, status, deadline, offsetMs, onEnd, ending }: TopBarProps) {
  return (
    <>
      <div className="flex min-w-0 flex-1 items-center gap-2">
        <h1 className="truncate text-base font-semibold md:text-lg" data-testid="interview-type">
          {TYPE_LABELS[session.type] ?? session.type}
          <span className="sr-only"> interview</span>
        </h1>
        {session.level ? (
          <Badge variant="secondary" className="hidden capitalize sm:inline-flex">
            {session.level}
          </Badge>
        ) : null}
        {session.question ? (
          <span className="hidden truncate text-sm text-muted-foreground lg:inline">· {session.question.title}</span>
        ) : null}
      </div>
      <Countdown deadline={deadline} offsetMs={offsetMs} running={status === "in_progress"} />
      <EndButton onEnd={onEnd} ending={ending} disabled={status !== "in_progress"} />
    </>
  );
}
