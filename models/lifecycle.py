"""Session state transitions, shared by the front door (start, end) and the timers pool (expire).

created -> in_progress -> completed | expired. The deadline lives on the row; the delayed expiry job
only nudges, and re-reads the row before acting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from models.db import UnitOfWork
from models.events import StatusData, StatusEvent
from models.interview_session import InterviewSession, SessionStatus
from models.jobs import ExpireSession, InterviewerTurn, ScoreSession
from models.message import Message
from models.runtime import Runtime


class TransitionError(Exception):
    """The session is not in a state that allows this (HTTP 409)."""


def lock_session(db: Session, session_id: str) -> InterviewSession | None:
    """Load a session for update: on PostgreSQL a row lock, on SQLite the write lock of BEGIN IMMEDIATE."""
    return db.scalars(
        select(InterviewSession).where(InterviewSession.id == session_id).with_for_update()
    ).first()


def lock_session_with_message(
    db: Session, session_id: str, message_match: ColumnElement[bool], *columns: ColumnElement[Any]
) -> tuple[Any, ...] | None:
    """`lock_session` plus, in the same statement (one round trip on a hot path), the session's
    message matching `message_match` (or None) and any extra `columns`: (session, message, *columns)."""
    query = (
        select(InterviewSession, Message, *columns)
        .outerjoin(Message, and_(Message.session_id == session_id, message_match))
        .where(InterviewSession.id == session_id)
        .with_for_update(of=InterviewSession)
    )
    row = db.execute(query).first()
    return None if row is None else tuple(row)


def has_active_session(db: Session, user_id: str, session_type: str) -> bool:
    query = select(InterviewSession.id).where(
        InterviewSession.user_id == user_id,
        InterviewSession.type == session_type,
        InterviewSession.status == SessionStatus.IN_PROGRESS.value,
    )
    return db.scalars(query).first() is not None


def start(rt: Runtime, work: UnitOfWork, session: InterviewSession, now: datetime) -> None:
    if session.status != SessionStatus.CREATED:
        raise TransitionError(f"cannot start a session that is {session.status}")
    if has_active_session(work.session, session.user_id, session.type):
        raise TransitionError(f"you already have a {session.type} interview in progress")
    session.status = SessionStatus.IN_PROGRESS.value
    session.start_time = now
    session.deadline = now + timedelta(minutes=session.duration_minutes)
    work.session.flush()
    _publish_status(rt, work, session)
    rt.enqueue_after_commit(work, InterviewerTurn(session_id=session.id))
    delay_ms = int((session.deadline - now).total_seconds() * 1000)
    rt.enqueue_after_commit(work, ExpireSession(session_id=session.id), delay_ms=delay_ms)


def end(rt: Runtime, work: UnitOfWork, session: InterviewSession, now: datetime, *, expired: bool) -> None:
    if session.status != SessionStatus.IN_PROGRESS:
        raise TransitionError(f"cannot end a session that is {session.status}")
    session.status = (SessionStatus.EXPIRED if expired else SessionStatus.COMPLETED).value
    session.end_reason = "time_up" if expired else "ended_by_candidate"
    assert session.deadline is not None
    session.end_time = min(now, session.deadline) if expired else now
    work.session.flush()
    _publish_status(rt, work, session)
    rt.enqueue_after_commit(work, ScoreSession(session_id=session.id))


def ensure_accepting_input(session: InterviewSession, now: datetime) -> None:
    """Input is only taken while the session runs and its deadline has not passed."""
    if session.status != SessionStatus.IN_PROGRESS:
        raise TransitionError(f"the session is {session.status}")
    if session.deadline is not None and now >= session.deadline:
        raise TransitionError("time is up for this session")


def _publish_status(rt: Runtime, work: UnitOfWork, session: InterviewSession) -> None:
    data = StatusData(status=session.status, deadline=session.deadline, reason=session.end_reason)
    rt.publish_after_commit(work, session.id, StatusEvent(data=data), dedupe_key=f"status:{session.status}")
