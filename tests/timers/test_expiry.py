"""Expiry and nudges by the timers pool, through real Dramatiq workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from models.broker import enqueue
from models.db import utcnow
from models.interview_session import InterviewSession
from models.jobs import ExpireSession, Sweep
from models.message import Message
from models.runtime import worker_runtime
from tests.fixtures.waiting import wait_for
from tests.fixtures.ws import events_until, is_ai_message, open_socket


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
