"""Runs a stored code submission in a sandbox and records the verdict.

The run happens outside any transaction (it takes seconds); the verdict is written in a short one
that re-checks the row, so a redelivered job never overwrites a verdict or posts it twice. Failures
of the user's code are verdicts; only an unreachable engine is an exception (retried by Dramatiq).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

import docker
from sqlalchemy import select

from config import Settings
from models import broker
from models.code_submission import CodeSubmission, RunPurpose
from models.db import utcnow
from models.events import CodeResultData, CodeResultEvent
from models.jobs import InterviewerTurn
from models.runtime import Runtime
from workers.execution import janitor
from workers.execution.pool import Pool
from workers.execution.sandbox import LABEL, EngineUnavailable, RunRequest, Sandbox, Verdict

log = logging.getLogger("rehearse.execution")
NAMESPACE_LABEL = "rehearse.namespace"  # the deployment (settings.namespace) a container belongs to
OWNER_LABEL = "rehearse.worker"  # the Dramatiq worker id of the process that started it
PROCESS_LABEL = "rehearse.process"  # host:pid of that process, for people
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
                Sandbox(settings.docker_host, labels=owner_labels(settings)),
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
    """Remove the containers of dead execution workers, and any older than a run or pooled one can be.

    A worker killed mid-run leaves its running container and its pooled ones behind; its messages
    are redelivered once its heartbeat is older than the broker's heartbeat timeout, and by the
    same test its containers are orphans then, whatever their age.
    """
    api = sandbox_pool(rt.settings).sandbox.api
    removed = janitor.sweep(api, rt.settings.sandbox_janitor_max_age_s)
    for worker in dead_owners(rt, api):
        removed += janitor.sweep(api, 0, labels={NAMESPACE_LABEL: rt.settings.namespace, OWNER_LABEL: worker})
    return removed


def owner_labels(settings: Settings) -> dict[str, str]:
    """Labels naming the worker process that starts a container (the janitor asks if it still lives)."""
    return {
        NAMESPACE_LABEL: settings.namespace,
        OWNER_LABEL: broker.worker_id(),
        PROCESS_LABEL: f"{socket.gethostname()}:{os.getpid()}",
    }


def dead_owners(rt: Runtime, api: docker.APIClient) -> set[str]:
    """Worker ids, among this deployment's containers' owners, silent past the heartbeat timeout.

    A worker Redis no longer knows (declared dead and forgotten) counts as silent since its
    container was created: a live one polls every few milliseconds.
    """
    mine = [f"{LABEL}=1", f"{NAMESPACE_LABEL}={rt.settings.namespace}"]
    now_ms = time.time() * 1000
    timeout_ms = rt.settings.worker_heartbeat_timeout_ms
    owners: dict[str, float] = {}
    for container in api.containers(all=True, filters={"label": mine}):
        worker = (container.get("Labels") or {}).get(OWNER_LABEL)
        if worker and worker != broker.worker_id():
            age_ms = now_ms - janitor.created_at(container) * 1000
            owners[worker] = min(owners.get(worker, age_ms), age_ms)
    dead = set()
    for worker, youngest_ms in owners.items():
        silent = broker.worker_silent_ms(worker, now_ms)
        if (youngest_ms if silent is None else silent) > timeout_ms:
            dead.add(worker)
    return dead
