"""Helpers for tests that take interviewer turns themselves, outside the pool."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from models.message import Message
from models.runtime import Runtime


def started_session(client: TestClient, headers: dict[str, str], session_type: str = "system_design") -> str:
    session_id: str = client.post("/sessions", json={"type": session_type}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def stored_user_message(rt: Runtime, session_id: str, text: str) -> int:
    """A candidate's message stored directly: no web process published it or enqueued its turn."""
    with rt.db.unit_of_work() as work:
        message = Message(
            session_id=session_id, sender="user", text=text, client_id=f"direct-{time.monotonic_ns()}"
        )
        work.session.add(message)
        work.session.flush()
        return message.id
