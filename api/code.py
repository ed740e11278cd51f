"""Code runs: stored as a pending submission, run by the execution pool, answered with the verdict."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from dramatiq.results import ResultTimeout
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.body import parse
from api.errors import ApiError
from api.sessions import load_owned
from api.state import runtime_of, state_of, user_id_of
from models import lifecycle
from models.code_submission import CodeSubmission, RunPurpose
from models.db import utcnow
from models.events import CodeResultData
from models.jobs import RunCode

# Queueing and container start-up on top of the run's own deadline.
WAIT_MARGIN_S = 10.0


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["python", "javascript", "typescript"]
    code: str = Field(min_length=1)
    stdin: str = ""


class CodeRunOut(CodeResultData):
    """A run with its code, so the report can show the final code from any browser."""

    code: str
    stdin: str
    created_at: datetime


class RunPending(BaseModel):
    id: int
    status: Literal["pending"] = "pending"


def submission_out(submission: CodeSubmission) -> dict[str, Any]:
    return CodeRunOut.model_validate(submission, from_attributes=True).model_dump(mode="json")


async def run_code(request: Request) -> JSONResponse:
    """
    ---
    summary: Run code in the sandbox and wait for the verdict
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/RunRequest"}
    responses:
      "200":
        description: the verdict
        content:
          application/json:
            schema: {$ref: "#/components/schemas/CodeResultData"}
      "202":
        description: still queued (the verdict arrives on the socket as `code_result`)
        content:
          application/json:
            schema: {$ref: "#/components/schemas/RunPending"}
      "409": error
      "429": error
    """
    state = state_of(request)
    settings = state.settings
    body = await parse(request, RunRequest, 3 * settings.code_max_bytes)
    for name in ("code", "stdin"):
        if len(getattr(body, name).encode()) > settings.code_max_bytes:
            raise ApiError(413, f"{name} is larger than {settings.code_max_bytes // 1024} KiB")
    user_id = user_id_of(request)
    state.limits.hit(settings.rate_code_runs, "code-run", user_id)
    session_id = request.path_params["session_id"]
    runtime = runtime_of(request)

    def submit() -> int:
        with runtime.db.unit_of_work() as work:
            session = load_owned(work.session, session_id, user_id, for_update=True)
            lifecycle.ensure_accepting_input(session, utcnow())
            submission = CodeSubmission(
                session_id=session.id,
                question_id=session.interviewer_state.get("current") or session.question_id,
                purpose=RunPurpose.RUN.value,
                language=body.language,
                code=body.code,
                stdin=body.stdin,
            )
            work.session.add(submission)
            work.session.flush()
            return submission.id

    submission_id = await run_in_threadpool(submit)

    def run_and_wait() -> dict[str, Any] | None:
        message = runtime.enqueue(RunCode(submission_id=submission_id), store_result=True)
        timeout_ms = int((settings.run_time_limit_max_s + WAIT_MARGIN_S) * 1000)
        try:
            result: dict[str, Any] = runtime.wait_result(message, timeout_ms)
            return result
        except ResultTimeout:
            return None

    verdict = await run_in_threadpool(run_and_wait)
    if verdict is None:  # still queued: the verdict will arrive on the session stream as code_result
        return JSONResponse(RunPending(id=submission_id).model_dump(), status_code=202)
    return JSONResponse(verdict)


async def list_runs(request: Request) -> JSONResponse:
    """
    ---
    summary: The session's code runs, oldest first, with their code
    responses:
      "200":
        description: the runs
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/CodeRunOut"}}
    """
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def read() -> list[dict[str, Any]]:
        with runtime_of(request).db.unit_of_work() as work:
            load_owned(work.session, session_id, user_id)
            query = (
                select(CodeSubmission)
                .where(
                    CodeSubmission.session_id == session_id, CodeSubmission.purpose == RunPurpose.RUN.value
                )
                .order_by(CodeSubmission.id)
            )
            return [submission_out(s) for s in work.session.scalars(query)]

    return JSONResponse(await run_in_threadpool(read))


routes = [
    Route("/sessions/{session_id}/code", run_code, methods=["POST"]),
    Route("/sessions/{session_id}/code", list_runs, methods=["GET"]),
]
