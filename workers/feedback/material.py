"""What the scorer reads about a session: the candidate's words per question, final code, last diagram.

Read once, in one short read-only transaction, into plain dataclasses: the scoring itself never
touches the database. Typed commands ("hint", "skip", "done") are not answers and are left out;
so is everything the interviewer said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.bank import Question, load_banks
from models.code_submission import CodeSubmission, RunPurpose
from models.drawing import Drawing
from models.interview_session import InterviewSession
from models.message import Message, Sender
from workers.interviewer.commands import parse as parse_command
from workers.interviewer.state import InterviewState


@dataclass(frozen=True)
class Line:
    """One message the candidate wrote."""

    message_id: int
    text: str


@dataclass(frozen=True)
class FinalCode:
    """The candidate's latest run for a question (whatever its verdict): what gets tested."""

    submission_id: int
    language: str
    code: str
    status: str
    runs: int  # runs of this question in the session
    runs_with_output: int  # runs that finished cleanly and printed something (the candidate checking)


@dataclass
class QuestionMaterial:
    question: Question
    lines: list[Line] = field(default_factory=list)
    hints_used: int = 0
    skipped: bool = False
    final_code: FinalCode | None = None

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


@dataclass
class SessionMaterial:
    session_id: str
    user_id: str
    session_type: str
    level: str
    ended_at: datetime | None
    questions: list[QuestionMaterial]
    scene: dict[str, Any] | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (sender, text): the LLM grader's view

    @property
    def hints_used(self) -> int:
        return sum(q.hints_used for q in self.questions)


def load(db: Session, session_id: str) -> SessionMaterial | None:
    session = db.get(InterviewSession, session_id)
    if session is None:
        return None
    state = InterviewState.load(session.interviewer_state)
    messages = list(db.scalars(select(Message).where(Message.session_id == session_id).order_by(Message.id)))
    runs = list(
        db.scalars(
            select(CodeSubmission)
            .where(CodeSubmission.session_id == session_id, CodeSubmission.purpose == RunPurpose.RUN.value)
            .order_by(CodeSubmission.id)
        )
    )
    default_id = state.order[0] if state.order else session.question_id
    order = _question_order(state, session.question_id, [m.question_id for m in messages])
    questions = {qid: QuestionMaterial(question=load_banks()[qid]) for qid in order}
    for qid, material in questions.items():
        progress = state.progress.get(qid)
        if progress is not None:
            material.hints_used, material.skipped = progress.hints_used, progress.skipped
    for message in messages:
        target = questions.get(message.question_id or default_id or "")
        if target is None or message.sender != Sender.USER or parse_command(message.text) is not None:
            continue
        target.lines.append(Line(message.id, message.text))
    for qid, material in questions.items():
        mine = [r for r in runs if (r.question_id or default_id) == qid]
        if mine:
            material.final_code = _final(mine)
    return SessionMaterial(
        session_id=session.id,
        user_id=session.user_id,
        session_type=session.type,
        level=session.level,
        ended_at=session.end_time,
        questions=list(questions.values()),
        scene=_latest_scene(db, session_id) if session.type == "system_design" else None,
        transcript=[(m.sender, m.text) for m in messages],
    )


def _question_order(
    state: InterviewState, session_question: str | None, tagged: list[str | None]
) -> list[str]:
    """Questions asked, in order: the interviewer's record, then any tag it missed; only bank ids."""
    order: list[str] = []
    for qid in [*state.order, session_question, *tagged]:
        if qid and qid in load_banks() and qid not in order:
            order.append(qid)
    return order


def _final(runs: list[CodeSubmission]) -> FinalCode:
    last = runs[-1]
    checked = sum(1 for r in runs if r.status == "ok" and r.stdout.strip())
    return FinalCode(last.id, last.language, last.code, last.status, len(runs), checked)


def _latest_scene(db: Session, session_id: str) -> dict[str, Any] | None:
    query = select(Drawing.scene).where(Drawing.session_id == session_id).order_by(Drawing.id.desc()).limit(1)
    return db.scalars(query).first()
