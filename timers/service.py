"""Session expiry and silence nudges. The deadline lives on the row: a delayed job only nudges this
code, which re-reads the row and does nothing if the state has moved on; the periodic sweep catches
whatever a lost delayed message missed."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from models import lifecycle
from models.db import utcnow
from models.interview_session import InterviewSession, SessionStatus
from models.jobs import ExpireSession, InterviewerNudge
from models.message import Message, MessageKind, Sender
from models.runtime import Runtime

log = logging.getLogger("rehearse.timers")
SWEEP_BATCH = 500


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
    expired = sum(expire_session(rt, session_id) for session_id in overdue)
    for session_id, message_id in silent:
        rt.enqueue(InterviewerNudge(session_id=session_id, after_message_id=message_id))
    return {"expired": expired, "nudged": len(silent)}


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
