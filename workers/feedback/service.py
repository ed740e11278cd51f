"""Scoring an ended session: claim the Feedback row, read the material, run the code checks,
score, optionally grade with the LLM, store the report and announce it once.

Safe to run twice or concurrently: the Feedback row is unique per session (pending -> ready), a
second run finds a ready report and returns it, and `feedback_ready` carries a dedupe key, so it
reaches the stream once however often the job runs. The code checks are rows too (see coderun),
so a rerun after a crash measures nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models.bank import load_banks
from models.db import UnitOfWork, utcnow
from models.events import FeedbackReadyData, FeedbackReadyEvent
from models.feedback import Feedback
from models.interview_session import InterviewSession, SessionStatus
from models.report import Report
from models.runtime import Runtime
from workers.analysis import coverage
from workers.feedback import coderun, llm_grader, material, rules
from workers.feedback.coderun import CodeChecks
from workers.feedback.scoring import relevance

log = logging.getLogger("rehearse.feedback")


def score_session(rt: Runtime, session_id: str) -> Report | None:
    """The session's report (computed now, or the one stored before); None if it has not ended."""
    claimed = _claim(rt, session_id)
    if claimed is None or isinstance(claimed, Report):
        return claimed
    report = compute_report(rt, session_id)
    if report is None:
        return None
    return _store(rt, session_id, report)


def compute_report(rt: Runtime, session_id: str) -> Report | None:
    """Score the session as it is in the database now, storing nothing but the code checks' runs."""
    with rt.db.sessions() as db:
        found = material.load(db, session_id)
    if found is None:
        return None
    checks: dict[str, CodeChecks] = {}
    if found.session_type == "coding":
        for question in found.questions:
            if question.final_code is not None and question.question.coding is not None:
                checks[question.question.id] = coderun.check(
                    rt, session_id, question.question, question.final_code
                )
    report = rules.report(found, checks)
    return llm_grader.grade(rt.settings, found, report)


def mark_failed(rt: Runtime, session_id: str) -> None:
    """After the last retry: the API stops answering "pending" for a report that will not come."""
    with rt.db.unit_of_work() as work:
        feedback = _feedback(work, session_id, for_update=True)
        if feedback is not None and feedback.status == "pending":
            feedback.status = "failed"
            feedback.completed_at = utcnow()


def warm_up_steps() -> list[Callable[[], object]]:
    """Load the embedding model and embed every rubric and every domain's relevance index, in steps
    a worker runs at boot (workers/analysis/warmup.py)."""
    questions = [partial(coverage.warm, [q]) for q in load_banks().values()]
    return [*questions, *(partial(relevance.warm, t) for t in ("system_design", "coding", "behavioral"))]


def _claim(rt: Runtime, session_id: str) -> Report | bool | None:
    """True: ours to compute. A Report: already done. None: no such session, or still running."""
    try:
        with rt.db.unit_of_work() as work:
            session = work.session.get(InterviewSession, session_id)
            if session is None or not SessionStatus(session.status).ended:
                return None
            feedback = _feedback(work, session_id)
            if feedback is None:
                work.session.add(Feedback(session_id=session_id, status="pending"))
                work.session.flush()
                return True
            if feedback.status == "ready" and feedback.report is not None:
                _announce(rt, work, session_id, feedback.overall)  # in case the first run died before it
                return Report.model_validate(feedback.report)
            return True
    except IntegrityError:  # a concurrent run created the row first: it is ours to compute too
        return True


def _store(rt: Runtime, session_id: str, report: Report) -> Report:
    with rt.db.unit_of_work() as work:
        feedback = _feedback(work, session_id, for_update=True)
        if feedback is None:
            feedback = Feedback(session_id=session_id)
            work.session.add(feedback)
        elif feedback.status == "ready" and feedback.report is not None:
            _announce(rt, work, session_id, feedback.overall)  # another run finished first: keep its report
            return Report.model_validate(feedback.report)
        feedback.status = "ready"
        feedback.scorer = report.scorer
        feedback.overall = report.overall
        feedback.report = report.model_dump(mode="json")
        feedback.completed_at = utcnow()
        work.session.flush()
        _announce(rt, work, session_id, report.overall)
        return report


def _feedback(work: UnitOfWork, session_id: str, *, for_update: bool = False) -> Feedback | None:
    query = select(Feedback).where(Feedback.session_id == session_id)
    return work.session.scalars(query.with_for_update() if for_update else query).first()


def _announce(rt: Runtime, work: UnitOfWork, session_id: str, overall: int | None) -> None:
    event = FeedbackReadyEvent(data=FeedbackReadyData(session_id=session_id, overall=overall))
    rt.publish_after_commit(work, session_id, event, dedupe_key="feedback_ready")
