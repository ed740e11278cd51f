"""Expiry and nudges by the timers pool, through real Dramatiq workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from models.broker import enqueue
from models.db import utcnow
from models.feedback import FAILED_REPORT_RESENDS, FAILED_REPORT_RETRY_AFTER, Feedback
from models.interview_session import InterviewSession
from models.jobs import ExpireSession, Sweep
from models.message import Message
from models.runtime import worker_runtime
from tests.fixtures.waiting import wait_for
from tests.fixtures.ws import events_until, is_ai_message, open_socket
from timers.service import _lost_reports, _lost_turns, retry_failed_reports, sweep


def _start(client, headers, session_type="behavioral") -> str:  # type: ignore[no-untyped-def]
    session_id: str = client.post(
        "/sessions", json={"type": session_type, "duration_minutes": 5}, headers=headers
    ).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def _move_deadline(session_id: str, seconds_from_now: float) -> None:
    with worker_runtime().db.unit_of_work() as work:
        work.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id)
            .values(deadline=utcnow() + timedelta(seconds=seconds_from_now))
        )


def _status(client, headers, session_id: str) -> str:  # type: ignore[no-untyped-def]
    status: str = client.get(f"/sessions/{session_id}", headers=headers).json()["status"]
    return status


def test_delayed_job_expires_at_the_deadline(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    headers = {"Authorization": user["Authorization"]}
    session_id = _start(client, headers)
    _move_deadline(session_id, 1.0)
    enqueue(ExpireSession(session_id=session_id), delay_ms=200)  # early on purpose: it must re-arm itself
    with open_socket(live_server, session_id, user["token"]) as ws:
        status = events_until(
            ws, lambda e: e["type"] == "status" and e["data"]["status"] == "expired", timeout=15
        )
        assert status[-1]["data"]["reason"] == "time_up"
    assert _status(client, headers, session_id) == "expired"
    assert client.patch(f"/sessions/{session_id}/end", headers=headers).status_code == 409
    scene = {"elements": [], "appState": {}, "files": {}}
    assert client.post(f"/sessions/{session_id}/drawing", json=scene, headers=headers).status_code == 409


def test_sweep_catches_an_expiry_whose_job_was_lost(client, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _start(client, headers, "coding")
    _move_deadline(session_id, -1.0)  # overdue, and no delayed job will come for minutes
    enqueue(Sweep())
    wait_for(lambda: _status(client, headers, session_id) == "expired")
    session = client.get(f"/sessions/{session_id}", headers=headers).json()
    assert session["end_time"] is not None and session["remaining_seconds"] is None


def test_silence_gets_one_nudge(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _start(client, {"Authorization": user["Authorization"]}, "system_design")
    with open_socket(live_server, session_id, user["token"]) as ws:
        events_until(ws, is_ai_message)
        wait_for(lambda: (utcnow() - _last_message(session_id).created_at).total_seconds() > 1.1)
        enqueue(Sweep())
        nudge = events_until(ws, lambda e: e["type"] == "nudge")[-1]
        assert "still there" in nudge["data"]["text"]
        enqueue(Sweep())
        enqueue(Sweep())
        wait_for(lambda: (utcnow() - _last_message(session_id).created_at).total_seconds() > 1.5)
    nudges = [m for m in _messages(session_id) if m.kind == "nudge"]
    assert len(nudges) == 1


def _messages(session_id: str) -> list[Message]:
    with worker_runtime().db.sessions() as db:
        return list(db.scalars(select(Message).where(Message.session_id == session_id).order_by(Message.id)))


def _last_message(session_id: str) -> Message:
    return _messages(session_id)[-1]


def test_sweep_re_asks_for_turns_whose_job_never_reached_the_queue(client, make_user) -> None:  # type: ignore[no-untyped-def]
    """A start and a message committed while Redis was down: their turns were never enqueued."""
    headers = {"Authorization": make_user()["Authorization"]}
    session_id: str = client.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
    long_ago = utcnow() - timedelta(seconds=30)
    rt = worker_runtime()
    with rt.db.unit_of_work() as work:  # started, but no opening turn was ever enqueued
        work.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id)
            .values(status="in_progress", start_time=long_ago, deadline=long_ago + timedelta(minutes=45))
        )
    assert sweep(rt)["turns_resent"] >= 1
    wait_for(lambda: any(m.turn_key == "open" for m in _messages(session_id)))
    with rt.db.unit_of_work() as work:  # a message whose turn was never enqueued
        question = Message(
            session_id=session_id, sender="user", text="Can the input be empty?", client_id="lost"
        )
        work.session.add(question)
        work.session.flush()
        question.created_at = long_ago
        question_id = question.id
    assert sweep(rt)["turns_resent"] >= 1
    wait_for(lambda: any(m.turn_key == f"reply:{question_id}" for m in _messages(session_id)))
    assert [m.sender for m in _messages(session_id)] == ["ai", "user", "ai"]
    # Answered now: this session's turns are not asked for again.
    assert session_id not in {turn.session_id for turn in _lost_turns_now(rt)}


def _lost_turns_now(rt):  # type: ignore[no-untyped-def]
    with rt.db.sessions() as db:
        return _lost_turns(db, utcnow())


def test_sweep_re_asks_for_a_report_whose_job_never_reached_the_queue(client, make_user) -> None:  # type: ignore[no-untyped-def]
    """A session ended while Redis was down: no scoring job, so the report would stay pending forever."""
    headers = {"Authorization": make_user()["Authorization"]}
    session_id: str = client.post("/sessions", json={"type": "behavioral"}, headers=headers).json()["id"]
    ended = utcnow() - timedelta(seconds=30)
    rt = worker_runtime()
    with rt.db.unit_of_work() as work:
        work.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id)
            .values(
                status="completed", start_time=ended - timedelta(minutes=5), end_time=ended, deadline=ended
            )
        )
    assert client.get(f"/sessions/{session_id}/feedback", headers=headers).status_code == 202
    assert sweep(rt)["reports_resent"] >= 1
    wait_for(lambda: client.get(f"/sessions/{session_id}/feedback", headers=headers).status_code == 200)
    report = client.get(f"/sessions/{session_id}/feedback", headers=headers).json()
    assert report["overall"] == 0  # an empty interview: no evidence, and no made-up score
    with rt.db.sessions() as db:
        assert session_id not in _lost_reports(db, utcnow())


def _ended_session(client, headers) -> str:  # type: ignore[no-untyped-def]
    session_id: str = client.post("/sessions", json={"type": "behavioral"}, headers=headers).json()["id"]
    ended = utcnow() - timedelta(hours=1)
    with worker_runtime().db.unit_of_work() as work:
        work.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id)
            .values(
                status="completed", start_time=ended - timedelta(minutes=5), end_time=ended, deadline=ended
            )
        )
    return session_id


def _fail_report(session_id: str, failed_ago: timedelta, resends: int) -> None:
    """A report whose scoring failed after Dramatiq's retries (workers/feedback/service.mark_failed)."""
    with worker_runtime().db.unit_of_work() as work:
        work.session.add(
            Feedback(
                session_id=session_id, status="failed", completed_at=utcnow() - failed_ago, resends=resends
            )
        )


def test_a_failed_report_is_scored_again_later_a_few_times_at_most(client, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    rt = worker_runtime()
    recent, due, spent = (_ended_session(client, headers) for _ in range(3))
    _fail_report(recent, timedelta(minutes=1), 0)
    _fail_report(due, FAILED_REPORT_RETRY_AFTER + timedelta(minutes=1), 0)
    _fail_report(spent, FAILED_REPORT_RETRY_AFTER + timedelta(minutes=1), FAILED_REPORT_RESENDS)

    waiting = client.get(f"/sessions/{recent}/feedback", headers=headers)
    assert waiting.status_code == 503 and "tried again" in waiting.json()["error"]
    assert 0 < int(waiting.headers["Retry-After"]) <= FAILED_REPORT_RETRY_AFTER.total_seconds()
    assert client.get(f"/sessions/{spent}/feedback", headers=headers).status_code == 500

    assert retry_failed_reports(rt, utcnow()) >= 1
    wait_for(lambda: client.get(f"/sessions/{due}/feedback", headers=headers).status_code == 200)
    for session_id, status in ((recent, "failed"), (due, "ready"), (spent, "failed")):
        with rt.db.sessions() as db:
            feedback = db.scalars(select(Feedback).where(Feedback.session_id == session_id)).one()
        assert feedback.status == status, session_id
    with rt.db.sessions() as db:
        assert db.scalars(select(Feedback.resends).where(Feedback.session_id == due)).one() == 1
