"""Builds a turn's context from the database: the question, the clock, the latest code and diagram."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models.bank import get_question
from models.code_submission import CodeSubmission, RunPurpose
from models.db import UnitOfWork
from models.drawing import Drawing
from models.interview_session import InterviewSession
from models.jobs import InterviewerTurn
from models.message import Message
from workers.interviewer.context import CodeSnapshot, Trigger, TurnContext
from workers.interviewer.state import InterviewState


def load(
    work: UnitOfWork,
    session: InterviewSession,
    state: InterviewState,
    job: InterviewerTurn,
    now: datetime,
    *,
    with_transcript: bool = False,
) -> TurnContext | None:
    if session.start_time is None or session.deadline is None:
        return None
    trigger: Trigger = (
        "message" if job.message_id is not None else "code_run" if job.code_submission_id else "open"
    )
    user_text = ""
    if job.message_id is not None:
        message = work.session.get(Message, job.message_id)
        if message is None or message.session_id != session.id:
            return None
        user_text = message.text
    question = get_question(state.current or session.question_id or "")
    return TurnContext(
        session_type=session.type,
        level=session.level,
        question=question,
        state=state,
        trigger=trigger,
        elapsed_s=(now - session.start_time).total_seconds(),
        total_s=(session.deadline - session.start_time).total_seconds(),
        user_text=user_text,
        code=latest_code(work, session.id, job.code_submission_id) if session.type == "coding" else None,
        diagram=latest_scene(work, session.id) if session.type == "system_design" else None,
        # Only a behavioral round moves on to another bank question (engine._next_question).
        recently_seen=_recent_questions(work, session) if session.type == "behavioral" else [],
        transcript=_transcript(work, session.id) if with_transcript else [],
    )


def _transcript(work: UnitOfWork, session_id: str, limit: int = 40) -> list[tuple[str, str]]:
    query = (
        select(Message.sender, Message.text)
        .where(Message.session_id == session_id)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return [(sender, text) for sender, text in work.session.execute(query)][::-1]


def latest_code(work: UnitOfWork, session_id: str, submission_id: int | None = None) -> CodeSnapshot | None:
    """The run a code_run turn is about, else the candidate's latest finished run."""
    query = (
        select(CodeSubmission)
        .where(
            CodeSubmission.session_id == session_id,
            CodeSubmission.purpose == RunPurpose.RUN.value,
            CodeSubmission.status != "pending",
        )
        .order_by(CodeSubmission.id.desc())
        .limit(1)
    )
    if submission_id is not None:
        query = query.where(CodeSubmission.id == submission_id)
    run = work.session.scalars(query).first()
    if run is None:
        return None
    return CodeSnapshot(run.id, run.language, run.code, run.status, run.stdout, run.stderr)


def latest_scene(work: UnitOfWork, session_id: str) -> dict[str, object] | None:
    query = select(Drawing.scene).where(Drawing.session_id == session_id).order_by(Drawing.id.desc()).limit(1)
    return work.session.scalars(query).first()


def _recent_questions(work: UnitOfWork, session: InterviewSession) -> list[str]:
    query = (
        select(InterviewSession.question_id)
        .where(InterviewSession.user_id == session.user_id, InterviewSession.id != session.id)
        .order_by(InterviewSession.created_at.desc())
        .limit(20)
    )
    return [qid for qid in work.session.scalars(query) if qid][::-1]
