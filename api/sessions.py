"""Interview sessions: create, start, end, read, and the transcript."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.body import parse
from api.errors import ApiError
from api.presenters import message_out, session_out
from api.schemas import CreateSession
from api.state import runtime_of, state_of, user_id_of
from models import lifecycle
from models.bank import choose_question, load_banks
from models.db import UnitOfWork, utcnow
from models.interview_session import InterviewSession
from models.message import Message

_SESSION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_session_id(value: str) -> bool:
    """Only the shape ids are made in reaches the database (a NUL in a path breaks PostgreSQL)."""
    return _SESSION_ID.match(value) is not None


def load_owned(db: Session, session_id: str, user_id: str, *, for_update: bool = False) -> InterviewSession:
    """The user's own session, or 404 (another user's session is indistinguishable from none)."""
    if not is_session_id(session_id):
        raise ApiError(404, "no such session")
    session = lifecycle.lock_session(db, session_id) if for_update else db.get(InterviewSession, session_id)
    if session is None or session.user_id != user_id:
        raise ApiError(404, "no such session")
    return session


async def create_session(request: Request) -> JSONResponse:
    """
    ---
    summary: Create an interview session (status `created`)
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/CreateSession"}
    responses:
      "201":
        description: the session
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SessionOut"}
    """
    settings = state_of(request).settings
    body = await parse(request, CreateSession, 4096)
    if not settings.session_min_minutes <= body.duration_minutes <= settings.session_max_minutes:
        raise ApiError(
            422, f"duration_minutes must be {settings.session_min_minutes}..{settings.session_max_minutes}"
        )
    question = load_banks().get(body.question_id) if body.question_id else None
    if body.question_id and (question is None or question.type != body.type):
        raise ApiError(422, f"question_id: no {body.type} question {body.question_id!r}")
    user_id = user_id_of(request)

    def create() -> dict[str, object]:
        with runtime_of(request).db.unit_of_work() as work:
            chosen = question or choose_question(body.type, body.level, _recent_questions(work, user_id))
            session = InterviewSession(
                user_id=user_id,
                type=body.type,
                duration_minutes=body.duration_minutes,
                level=body.level or chosen.level,
                question_id=chosen.id,
                interviewer_state={},
            )
            work.session.add(session)
            work.session.flush()
            return session_out(session, utcnow())

    return JSONResponse(await run_in_threadpool(create), status_code=201)


async def start_session(request: Request) -> JSONResponse:
    """
    ---
    summary: Start the session (now `in_progress`, with a deadline)
    responses:
      "200":
        description: the session
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SessionOut"}
      "409": error
      "429": error
    """
    state = state_of(request)
    user_id = user_id_of(request)
    state.limits.hit(state.settings.rate_session_starts, "session-start", user_id)

    def start(work: UnitOfWork, session: InterviewSession, now: datetime) -> None:
        lifecycle.start(runtime_of(request), work, session, now)

    try:
        return await _transition(request, start)
    except IntegrityError:  # the unique index caught a concurrent second start
        raise ApiError(409, "you already have an interview of this type in progress") from None


async def end_session(request: Request) -> JSONResponse:
    """
    ---
    summary: End the session (now `completed`; scoring follows)
    responses:
      "200":
        description: the session
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SessionOut"}
      "409": error
    """

    def end(work: UnitOfWork, session: InterviewSession, now: datetime) -> None:
        lifecycle.end(runtime_of(request), work, session, now, expired=False)

    return await _transition(request, end)


async def _transition(request: Request, change: object) -> JSONResponse:
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def run() -> dict[str, object]:
        with runtime_of(request).db.unit_of_work() as work:
            session = load_owned(work.session, session_id, user_id, for_update=True)
            now = utcnow()
            change(work, session, now)  # type: ignore[operator]
            return session_out(session, now)

    return JSONResponse(await run_in_threadpool(run))


async def get_session(request: Request) -> JSONResponse:
    """
    ---
    summary: One session, with `remaining_seconds` while in progress
    responses:
      "200":
        description: the session
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SessionOut"}
    """
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def read() -> dict[str, object]:
        with runtime_of(request).db.unit_of_work() as work:
            return session_out(load_owned(work.session, session_id, user_id), utcnow(), work.session)

    return JSONResponse(await run_in_threadpool(read))


async def list_sessions(request: Request) -> JSONResponse:
    """
    ---
    summary: The user's sessions, newest first (at most 200)
    responses:
      "200":
        description: the sessions
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/SessionOut"}}
    """
    user_id = user_id_of(request)

    def read() -> list[dict[str, object]]:
        with runtime_of(request).db.unit_of_work() as work:
            query = (
                select(InterviewSession)
                .where(InterviewSession.user_id == user_id)
                .order_by(InterviewSession.created_at.desc(), InterviewSession.id)
                .limit(200)
            )
            now = utcnow()
            return [session_out(s, now, work.session) for s in work.session.scalars(query)]

    return JSONResponse(await run_in_threadpool(read))


async def list_messages(request: Request) -> JSONResponse:
    """
    ---
    summary: The transcript, oldest first
    responses:
      "200":
        description: the messages
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/MessageOut"}}
    """
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def read() -> list[dict[str, object]]:
        with runtime_of(request).db.unit_of_work() as work:
            load_owned(work.session, session_id, user_id)
            query = select(Message).where(Message.session_id == session_id).order_by(Message.id)
            return [message_out(m) for m in work.session.scalars(query)]

    return JSONResponse(await run_in_threadpool(read))


def _recent_questions(work: UnitOfWork, user_id: str) -> list[str]:
    query = (
        select(InterviewSession.question_id)
        .where(InterviewSession.user_id == user_id)
        .order_by(InterviewSession.created_at.desc())
        .limit(30)
    )
    return [qid for qid in work.session.scalars(query) if qid][::-1]


routes = [
    Route("/sessions", create_session, methods=["POST"]),
    Route("/sessions", list_sessions, methods=["GET"]),
    Route("/sessions/{session_id}", get_session, methods=["GET"]),
    Route("/sessions/{session_id}/start", start_session, methods=["PATCH"]),
    Route("/sessions/{session_id}/end", end_session, methods=["PATCH"]),
    Route("/sessions/{session_id}/messages", list_messages, methods=["GET"]),
]
