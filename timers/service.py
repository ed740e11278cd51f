"""Session expiry, silence nudges and lost turns. The deadline lives on the row: a delayed job only
nudges this code, which re-reads the row and does nothing if the state has moved on; the periodic
sweep catches whatever a lost delayed message missed, and re-asks for interviewer turns and reports
whose job never reached the queue (Redis down between a commit and its enqueue)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import String, cast, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from models import lifecycle
from models.db import utcnow
from models.feedback import FAILED_REPORT_RESENDS, FAILED_REPORT_RETRY_AFTER, Feedback
from models.interview_session import InterviewSession, SessionStatus
from models.jobs import ExpireSession, InterviewerNudge, InterviewerTurn, ScoreSession
from models.message import Message, MessageKind, Sender
from models.runtime import Runtime

log = logging.getLogger("rehearse.timers")
SWEEP_BATCH = 500
# A turn lands within a second or two; one still missing after this was never enqueued (turns are
# idempotent, so asking again for one that is merely slow costs a no-op job, never a second reply).
LOST_TURN_AFTER = timedelta(seconds=15)
LOST_TURN_HORIZON = timedelta(minutes=10)  # older gaps are left alone: the candidate has moved on
# A report is claimed (its row written) as soon as a worker takes the job and takes seconds; past the
# scoring actor's time limit a pending one belongs to a dead worker whose message was lost too.
STALE_SCORING = timedelta(minutes=10)
LOST_REPORT_HORIZON = timedelta(days=1)


def expire_session(rt: Runtime, session_id: str) -> bool:
    """Expire the session if its deadline has passed; returns True when it did."""
    with rt.db.unit_of_work() as work:
        session = lifecycle.lock_session(work.session, session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS or session.deadline is None:
            return False
        now = utcnow()
        if now < session.deadline:
            # Early (clock skew, or the deadline moved): come back at the deadline.
            delay_ms = int((session.deadline - now).total_seconds() * 1000) + 50
            rt.enqueue_after_commit(work, ExpireSession(session_id=session.id), delay_ms=delay_ms)
            return False
        lifecycle.end(rt, work, session, now, expired=True)
        log.info("session %s expired", session.id)
        return True


def sweep(rt: Runtime) -> dict[str, int]:
    """Expire overdue sessions and ask for nudges in silent ones; safe to run from many places."""
    now = utcnow()
    with rt.db.sessions() as db:
        overdue = db.scalars(
            select(InterviewSession.id)
            .where(
                InterviewSession.status == SessionStatus.IN_PROGRESS.value, InterviewSession.deadline <= now
            )
            .limit(SWEEP_BATCH)
        ).all()
        silent = _silent_sessions(db, now - timedelta(seconds=rt.settings.nudge_after_seconds))
        lost = _lost_turns(db, now)
        unscored = _lost_reports(db, now)
    expired = sum(expire_session(rt, session_id) for session_id in overdue)
    for session_id, message_id in silent:
        rt.enqueue(InterviewerNudge(session_id=session_id, after_message_id=message_id))
    for turn in lost:
        log.warning("re-asking for lost interviewer turn %s of session %s", turn.turn_key, turn.session_id)
        rt.enqueue(turn)
    for session_id in unscored:
        log.warning("re-asking for the lost report of session %s", session_id)
        rt.enqueue(ScoreSession(session_id=session_id))
    return {
        "expired": expired,
        "nudged": len(silent),
        "turns_resent": len(lost),
        "reports_resent": len(unscored),
        "reports_retried": retry_failed_reports(rt, now),
    }


def retry_failed_reports(rt: Runtime, now: datetime) -> int:
    """Score again the reports that failed FAILED_REPORT_RETRY_AFTER ago, FAILED_REPORT_RESENDS times
    at most: back to pending (the web app shows "being scored" again), then a new job."""
    with rt.db.unit_of_work() as work:
        due = work.session.scalars(
            select(Feedback)
            .where(
                Feedback.status == "failed",
                Feedback.resends < FAILED_REPORT_RESENDS,
                Feedback.completed_at <= now - FAILED_REPORT_RETRY_AFTER,
            )
            .limit(SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for feedback in due:
            log.warning("scoring session %s again (retry %d)", feedback.session_id, feedback.resends + 1)
            feedback.status, feedback.resends = "pending", feedback.resends + 1
            feedback.created_at, feedback.completed_at = now, None  # scoring starts over (STALE_SCORING)
            rt.enqueue_after_commit(work, ScoreSession(session_id=feedback.session_id))
        return len(due)


def _lost_reports(db: Session, now: datetime) -> list[str]:
    """Ended sessions with no report row past LOST_TURN_AFTER, or a pending one past STALE_SCORING
    (a failed report is not retried: it failed after Dramatiq's own retries)."""
    report = select(Feedback.id).where(Feedback.session_id == InterviewSession.id)
    stale = report.where(Feedback.status == "pending", Feedback.created_at <= now - STALE_SCORING)
    ended = InterviewSession.status.in_([SessionStatus.COMPLETED.value, SessionStatus.EXPIRED.value])
    query = select(InterviewSession.id).where(
        ended,
        InterviewSession.end_time.between(now - LOST_REPORT_HORIZON, now - LOST_TURN_AFTER),
        or_(~exists(report), exists(stale)),
    )
    return list(db.scalars(query.limit(SWEEP_BATCH)))


def _lost_turns(db: Session, now: datetime) -> list[InterviewerTurn]:
    """Running sessions never opened, and candidate messages never answered, past LOST_TURN_AFTER."""
    late, horizon = now - LOST_TURN_AFTER, now - LOST_TURN_HORIZON
    running = InterviewSession.status == SessionStatus.IN_PROGRESS.value
    opening = select(Message.id).where(Message.session_id == InterviewSession.id, Message.turn_key == "open")
    unopened = db.scalars(
        select(InterviewSession.id)
        .where(running, InterviewSession.start_time.between(horizon, late), ~exists(opening))
        .limit(SWEEP_BATCH)
    ).all()
    reply = aliased(Message)
    answered = select(reply.id).where(
        reply.session_id == Message.session_id, reply.turn_key == literal("reply:") + cast(Message.id, String)
    )
    unanswered = db.execute(
        select(Message.session_id, Message.id)
        .join(InterviewSession, InterviewSession.id == Message.session_id)
        .where(running, Message.sender == Sender.USER.value, Message.created_at.between(horizon, late))
        .where(~exists(answered))
        .limit(SWEEP_BATCH)
    ).all()
    return [InterviewerTurn(session_id=s) for s in unopened] + [
        InterviewerTurn(session_id=s, message_id=m) for s, m in unanswered
    ]


def _silent_sessions(db: object, silent_since: object) -> list[tuple[str, int]]:
    """Running sessions whose last message is an interviewer question older than `silent_since`."""
    last_ids = (
        select(Message.session_id, func.max(Message.id).label("last_id"))
        .join(InterviewSession, InterviewSession.id == Message.session_id)
        .where(InterviewSession.status == SessionStatus.IN_PROGRESS.value)
        .group_by(Message.session_id)
        .subquery()
    )
    query = (
        select(Message.session_id, Message.id)
        .join(last_ids, Message.id == last_ids.c.last_id)
        .where(
            Message.sender == Sender.AI.value,
            Message.kind == MessageKind.CHAT.value,
            Message.created_at <= silent_since,
        )
        .limit(SWEEP_BATCH)
    )
    return [(row[0], row[1]) for row in db.execute(query)]  # type: ignore[attr-defined]
