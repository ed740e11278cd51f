"""The feedback report of a session, and a user's progress across reports.

The feedback pool writes the report (models/report.py) once the session has ended; this module
only reads it: 409 while the interview runs, 202 while it is being scored, 200 with the report.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.errors import ApiError
from api.sessions import load_owned
from api.state import runtime_of, user_id_of
from models.db import utcnow
from models.feedback import FAILED_REPORT_RESENDS, FAILED_REPORT_RETRY_AFTER, Feedback
from models.interview_session import InterviewSession, SessionStatus, SessionType
from models.report import Movement, Progress, ProgressPoint

MOVED_BY = 10  # points a dimension must change by between two reports to count as having moved
PROGRESS_SESSIONS = 200  # the newest reports the history chart reads


async def get_feedback(request: Request) -> JSONResponse:
    """
    ---
    summary: The session's feedback report (202 while it is being scored)
    responses:
      "200":
        description: the report (models/report.py `Report`)
        content:
          application/json:
            schema: {type: object}
      "202":
        description: the interview has ended and is being scored
        content:
          application/json:
            schema: {type: object, properties: {status: {type: string, enum: [pending]}}}
      "409": error
      "500": error
      "503": error
    """
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def read() -> tuple[int, dict[str, Any]]:
        with runtime_of(request).db.unit_of_work() as work:
            session = load_owned(work.session, session_id, user_id)
            if not SessionStatus(session.status).ended:
                raise ApiError(409, f"the interview is {session.status.replace('_', ' ')}: no report yet")
            feedback = work.session.scalars(select(Feedback).where(Feedback.session_id == session_id)).first()
            if feedback is not None and feedback.status == "failed":
                _raise_failed(feedback)
            if feedback is None or feedback.status == "pending" or feedback.report is None:
                return 202, {"status": "pending"}
            return 200, feedback.report

    status, body = await run_in_threadpool(read)
    return JSONResponse(body, status_code=status)


def _raise_failed(feedback: Feedback) -> None:
    """503 while the timers sweep will still try again (see models/feedback.py), then 500."""
    if feedback.resends >= FAILED_REPORT_RESENDS or feedback.completed_at is None:
        raise ApiError(500, "the report could not be produced")
    retry_at = feedback.completed_at + FAILED_REPORT_RETRY_AFTER
    wait_s = max(1, math.ceil((retry_at - utcnow()).total_seconds()))
    raise ApiError(
        503,
        f"the report could not be produced yet; it will be tried again in about {math.ceil(wait_s / 60)} min",
        headers={"Retry-After": str(wait_s)},
    )


async def get_progress(request: Request) -> JSONResponse:
    """
    ---
    summary: Scores over time per interview type, and the dimensions that moved
    responses:
      "200":
        description: "`{domains: {coding: [...], system_design: [...], behavioral: [...]}, moved: [...]}`"
        content:
          application/json:
            schema: {type: object}
    """
    user_id = user_id_of(request)

    def read() -> dict[str, Any]:
        with runtime_of(request).db.unit_of_work() as work:
            when = func.coalesce(InterviewSession.end_time, InterviewSession.created_at)
            query = (
                select(InterviewSession.id, InterviewSession.type, when, Feedback.overall, Feedback.report)
                .join(Feedback, Feedback.session_id == InterviewSession.id)
                .where(InterviewSession.user_id == user_id, Feedback.status == "ready")
                .order_by(when.desc(), InterviewSession.id)
                .limit(PROGRESS_SESSIONS)
            )
            rows = list(work.session.execute(query))[::-1]  # oldest first, as a chart reads
        return progress(rows).model_dump(mode="json")

    return JSONResponse(await run_in_threadpool(read))


def progress(rows: list[Any]) -> Progress:
    """`rows`: (session id, type, date, overall, report), oldest first."""
    domains: dict[str, list[ProgressPoint]] = {t.value: [] for t in SessionType}
    names: dict[tuple[str, str], str] = {}
    for session_id, session_type, date, overall, report in rows:
        dimensions = (report or {}).get("dimensions") or []
        for d in dimensions:
            names[(session_type, d["key"])] = d["name"]
        point = ProgressPoint(
            session_id=session_id,
            date=date.isoformat() if date else "",
            overall=overall,
            dimensions={d["key"]: d["score"] for d in dimensions},
        )
        domains.setdefault(session_type, []).append(point)
    moved = [m for domain, points in domains.items() for m in _moved(domain, points, names)]
    moved.sort(key=lambda m: (-abs(m.delta), m.domain, m.key))
    return Progress(domains=domains, moved=moved)


def _moved(domain: str, points: list[ProgressPoint], names: dict[tuple[str, str], str]) -> list[Movement]:
    if len(points) < 2:
        return []
    previous, latest = points[-2].dimensions, points[-1].dimensions
    out = []
    for key in sorted(set(previous) | set(latest)):
        before, after = previous.get(key), latest.get(key)
        delta = (after or 0) - (before or 0)
        if abs(delta) >= MOVED_BY:
            name = names.get((domain, key), key)
            out.append(
                Movement(domain=domain, key=key, name=name, previous=before, latest=after, delta=delta)
            )
    return out


routes = [
    Route("/sessions/{session_id}/feedback", get_feedback, methods=["GET"]),
    Route("/me/progress", get_progress, methods=["GET"]),
]
