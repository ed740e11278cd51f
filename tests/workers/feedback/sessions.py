"""Ended sessions written straight into the database, from the calibration files' plain data.

A spec (YAML) names the question(s), the candidate's messages per question, code runs (the last one
per question is the final code) and a diagram (boxes by id and label, arrows between box ids),
which is drawn as a real Excalidraw scene with bound labels and arrows.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from models.bank import get_question
from models.code_submission import CodeSubmission, RunPurpose
from models.db import utcnow
from models.drawing import Drawing
from models.interview_session import InterviewSession, SessionStatus
from models.message import Message, Sender
from models.runtime import Runtime
from models.user import User
from tests.workers.analysis.scenes import arrow, box, scene
from workers.interviewer.state import InterviewState, QuestionProgress

CALIBRATION = Path(__file__).parent / "calibration"


def load_calibration(domain: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((CALIBRATION / f"{domain}.yaml").read_text(encoding="utf-8"))
    sessions: list[dict[str, Any]] = data["sessions"]
    return sessions


def answers_of(spec: dict[str, Any]) -> dict[str, list[str]]:
    """question id -> the candidate's messages; `messages` belong to the spec's only question."""
    if "answers" in spec:
        return {qid: list(texts or []) for qid, texts in spec["answers"].items()}
    return {spec["question"]: list(spec.get("messages") or [])}


def create_session(rt: Runtime, spec: dict[str, Any], session_type: str) -> str:
    answers = answers_of(spec)
    order = list(answers)
    hints = spec.get("hints") or {}
    state = InterviewState(
        current=order[-1],
        order=order,
        progress={
            qid: QuestionProgress(
                phase="done", hints_used=int(hints.get(qid, 0) if isinstance(hints, dict) else hints)
            )
            for qid in order
        },
    )
    now = utcnow()
    with rt.db.unit_of_work() as work:
        user = User(email=f"calibration-{uuid.uuid4().hex[:12]}@example.com", password_hash="-")
        work.session.add(user)
        work.session.flush()
        session = InterviewSession(
            user_id=user.id,
            type=session_type,
            status=SessionStatus.COMPLETED.value,
            level=spec.get("level", "senior"),
            duration_minutes=45,
            question_id=order[0],
            start_time=now - timedelta(minutes=40),
            deadline=now + timedelta(minutes=5),
            end_time=now,
            end_reason="ended_by_candidate",
            interviewer_state=state.dump(),
        )
        work.session.add(session)
        work.session.flush()
        store_material(work.session, session.id, spec, interviewer=True)
        return session.id


def store_material(db: Any, session_id: str, spec: dict[str, Any], *, interviewer: bool = False) -> None:
    """The candidate's messages, code runs and diagram, as the WebSocket, the code runs and the
    drawing autosave store them; `interviewer`: also the question and a prompt after each answer."""
    answers = answers_of(spec)
    for question_id, texts in answers.items():
        if interviewer:
            prompt = get_question(question_id).prompt
            db.add(
                Message(session_id=session_id, sender=Sender.AI.value, text=prompt, question_id=question_id)
            )
        for text in texts:
            say(db, session_id, question_id, [text])
            if interviewer:
                db.add(
                    Message(
                        session_id=session_id, sender=Sender.AI.value, text="Go on.", question_id=question_id
                    )
                )
    for run in spec.get("runs") or []:
        status = run.get("status", "ok")
        db.add(
            CodeSubmission(
                session_id=session_id,
                question_id=run.get("question", next(iter(answers))),
                purpose=RunPurpose.RUN.value,
                language=run["language"],
                code=run["code"],
                status=status,
                stdout=run.get("stdout", ""),
                stderr=run.get("stderr", ""),
                exit_code=0 if status == "ok" else 1,
                duration_ms=50,
                finished_at=utcnow(),
            )
        )
    if spec.get("diagram"):
        db.add(Drawing(session_id=session_id, scene=draw(spec["diagram"])))


def say(db: Any, session_id: str, question_id: str, texts: list[str]) -> None:
    """Candidate messages, each with its own client id."""
    for text in texts:
        db.add(
            Message(
                session_id=session_id,
                sender=Sender.USER.value,
                text=text,
                client_id=uuid.uuid4().hex,
                question_id=question_id,
            )
        )


def draw(diagram: dict[str, Any]) -> dict[str, Any]:
    """Boxes on a grid, four to a row; arrows from box centre to box centre, bound at both ends."""
    boxes: dict[str, str] = diagram.get("boxes") or {}
    where: dict[str, tuple[float, float]] = {}
    groups = []
    for index, (box_id, label) in enumerate(boxes.items()):
        x, y = 260.0 * (index % 4), 200.0 * (index // 4)
        where[box_id] = (x, y)
        groups.append(box(box_id, label, x, y))
    for index, link in enumerate(diagram.get("arrows") or []):
        source, target = link[0], link[1]
        (x0, y0), (x1, y1) = where[source], where[target]
        label = link[2] if len(link) > 2 else None
        groups.append(
            arrow(f"arrow{index}", (x0 + 80, y0 + 40), (x1 + 80, y1 + 40), source, target, label=label)
        )
    return scene(*groups)
