"""Runs a stored code submission in a sandbox and records the verdict.

The run happens outside any transaction (it takes seconds); the verdict is written in a short one
that re-checks the row, so a redelivered job never overwrites a verdict or posts it twice. Failures
of the user's code are verdicts; only an unreachable engine is an exception (retried by Dramatiq).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import select

from config import Settings
from models.code_submission import CodeSubmission, RunPurpose
from models.db import utcnow
from models.events import CodeResultData, CodeResultEvent
from models.jobs import InterviewerTurn
from models.runtime import Runtime
from workers.execution import janitor
from workers.execution.pool import Pool
from workers.execution.sandbox import EngineUnavailable, RunRequest, Sandbox, Verdict

log = logging.getLogger("rehearse.execution")
ENGINE_DOWN = (
    "The code runner is unavailable right now, so your code was not run. Please try again in a moment."
)

_pool: Pool | None = None
_pool_lock = threading.Lock()


def sandbox_pool(settings: Settings) -> Pool:
    """One pool of pre-started containers per worker process, created on the first run."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool(
                Sandbox(settings.docker_host),
                size=settings.sandbox_pool_size,
                memory_mb=settings.run_memory_mb,
            )
        return _pool


def close_pool() -> None:
    """Remove this process's pre-started containers (they never ran code) on shutdown."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()
        pool.sandbox.close()


def run_submission(rt: Runtime, submission_id: int, *, final_attempt: bool = True) -> dict[str, Any]:
    """Run submission `submission_id` once and return its verdict as the API shows it."""
    with rt.db.sessions() as db:
        submission = db.get(CodeSubmission, submission_id)
        if submission is None:
            return {}
        if submission.status != "pending":
            return verdict_out(submission)
        request = RunRequest(
            language=submission.language,
            code=submission.code,
            stdin=submission.stdin,
            time_limit_s=rt.settings.run_time_limit_s,
            memory_mb=rt.settings.run_memory_mb,
        )
    try:
        verdict = sandbox_pool(rt.settings).run(request)
    except EngineUnavailable:
        if not final_attempt:
            raise  # Dramatiq retries with backoff
        log.error("engine unavailable for submission %s after retries", submission_id)
        verdict = Verdict(status="error", stdout="", stderr=ENGINE_DOWN, exit_code=None, duration_ms=0)
    return record_verdict(rt, submission_id, verdict)


def record_verdict(rt: Runtime, submission_id: int, verdict: Verdict) -> dict[str, Any]:
    with rt.db.unit_of_work() as work:
        query = select(CodeSubmission).where(CodeSubmission.id == submission_id).with_for_update()
        submission = work.session.scalars(query).one()
        if submission.status != "pending":  # another delivery recorded it first
            return verdict_out(submission)
        submission.status = verdict.status
        submission.stdout, submission.stderr = verdict.stdout, verdict.stderr
        submission.exit_code, submission.duration_ms = verdict.exit_code, verdict.duration_ms
        submission.truncated = verdict.truncated
        submission.finished_at = utcnow()
        work.session.flush()
        out = verdict_out(submission)
        if submission.purpose == RunPurpose.RUN:
            event = CodeResultEvent(data=CodeResultData.model_validate(out))
            rt.publish_after_commit(work, submission.session_id, event, dedupe_key=f"run:{submission.id}")
            turn = InterviewerTurn(session_id=submission.session_id, code_submission_id=submission.id)
            rt.enqueue_after_commit(work, turn)
        return out


def verdict_out(submission: CodeSubmission) -> dict[str, Any]:
    return CodeResultData.model_validate(submission, from_attributes=True).model_dump(mode="json")


def clean_up(rt: Runtime) -> list[str]:
    """Remove sandbox containers older than any run or pooled container can be."""
    return janitor.sweep(sandbox_pool(rt.settings).sandbox.api, rt.settings.sandbox_janitor_max_age_s)
