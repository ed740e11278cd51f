"""ORM rows -> response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.schemas import DrawingOut, MessageOut, QuestionDetail, SessionOut
from models.bank import load_banks
from models.drawing import Drawing
from models.feedback import Feedback
from models.interview_session import InterviewSession, SessionStatus
from models.message import Message


def question_detail(question_id: str | None) -> QuestionDetail | None:
    question = load_banks().get(question_id) if question_id else None
    if question is None:
        return None
    starter = dict(question.coding.starter_code) if question.coding else None
    return QuestionDetail(
        id=question.id,
        type=question.type,
        title=question.title,
        level=question.level,
        prompt=question.prompt,
        starter_code=starter,
    )


def session_out(session: InterviewSession, now: datetime, db: Session | None = None) -> dict[str, Any]:
    remaining = None
    if session.status == SessionStatus.IN_PROGRESS and session.deadline is not None:
        remaining = max(0, int((session.deadline - now).total_seconds()))
    overall = None
    if db is not None and SessionStatus(session.status).ended:
        overall = db.scalars(select(Feedback.overall).where(Feedback.session_id == session.id)).first()
    out = SessionOut(
        id=session.id,
        type=session.type,
        status=session.status,
        level=session.level,
        duration_minutes=session.duration_minutes,
        created_at=session.created_at,
        start_time=session.start_time,
        end_time=session.end_time,
        deadline=session.deadline,
        remaining_seconds=remaining,
        end_reason=session.end_reason,
        question=question_detail(session.question_id),
        overall_score=overall,
    )
    return out.model_dump(mode="json")


def message_out(message: Message) -> dict[str, Any]:
    return MessageOut.model_validate(message, from_attributes=True).model_dump(mode="json")


def drawing_out(drawing: Drawing) -> dict[str, Any]:
    scene = drawing.scene
    out = DrawingOut(
        id=drawing.id,
        elements=scene.get("elements", []),
        appState=scene.get("appState", {}),
        files=scene.get("files", {}),
        saved_at=drawing.created_at,
    )
    return out.model_dump(mode="json")
