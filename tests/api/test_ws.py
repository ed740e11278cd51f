"""The chat relay over real WebSocket connections to a uvicorn server."""

from __future__ import annotations

import json
import uuid

import pytest
from starlette.testclient import TestClient
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.fixtures.ws import events_until, is_ai_message, next_event, open_socket


def _started_session(client: TestClient, user: dict[str, str], session_type: str = "behavioral") -> str:
    headers = {"Authorization": user["Authorization"]}
    session_id: str = client.post("/sessions", json={"type": session_type}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def _say(ws, text: str, client_id: str | None = None) -> str:  # type: ignore[no-untyped-def]
    client_id = client_id or uuid.uuid4().hex
    ws.send(json.dumps({"type": "message", "text": text, "client_id": client_id}))
    return client_id


def test_bad_or_foreign_token_is_refused_before_accept(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    owner, stranger = make_user(), make_user()
    session_id = _started_session(client, owner)
    for token in ("garbage", stranger["token"]):
        with pytest.raises(InvalidStatus) as refused:
            open_socket(live_server, session_id, token)
        assert refused.value.response.status_code == 403  # closed before the handshake completed
    with pytest.raises(InvalidStatus):
        open_socket(live_server, "no-such-session", owner["token"])


def test_welcome_then_reply_through_the_pools(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    with open_socket(live_server, session_id, user["token"]) as ws:
        opening = events_until(ws, is_ai_message)
        assert opening[0]["type"] == "status" and opening[0]["data"]["status"] == "in_progress"
        assert "welcome" in opening[-1]["data"]["text"].lower()
        client_id = _say(ws, "At my last job I led a migration of our billing system.")
        echo = next_event(ws)
        assert (
            echo["type"] == "message"
            and echo["data"]["sender"] == "user"
            and echo["data"]["client_id"] == client_id
        )
        reply = events_until(ws, is_ai_message)[-1]
        assert reply["data"]["text"] and reply["data"]["id"] > echo["data"]["id"]
    transcript = client.get(
        f"/sessions/{session_id}/messages", headers={"Authorization": user["Authorization"]}
    ).json()
    assert [m["sender"] for m in transcript] == ["ai", "user", "ai"]


def test_resume_replays_after_last_event_id_without_gap_or_duplicate(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    with open_socket(live_server, session_id, user["token"]) as ws:
        first = events_until(ws, is_ai_message)
        last_seen = first[-1]["id"]
        _say(ws, "first answer")
        missed_on_first_socket = events_until(ws, is_ai_message)
    # Meanwhile, while disconnected, another answer and its reply are written.
    with open_socket(live_server, session_id, user["token"], last_event_id=last_seen) as ws:
        replayed = events_until(ws, is_ai_message)
        assert [e["id"] for e in replayed] == [e["id"] for e in missed_on_first_socket]
        _say(ws, "second answer")
        later = events_until(ws, is_ai_message)
    with open_socket(live_server, session_id, user["token"]) as ws:  # no id: the whole log, in order
        everything = [next_event(ws) for _ in range(len(first) + len(missed_on_first_socket) + len(later))]
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.3)
    ids = [e["id"] for e in everything]
    assert ids == [e["id"] for e in first + missed_on_first_socket + later]
    assert len(set(ids)) == len(ids)


def test_resent_frame_is_stored_and_answered_once(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    with open_socket(live_server, session_id, user["token"]) as ws:
        events_until(ws, is_ai_message)
        client_id = _say(ws, "hello once")
        _say(ws, "hello once", client_id)
        events_until(ws, is_ai_message)
        with pytest.raises(TimeoutError):  # no second echo, no second reply
            ws.recv(timeout=1.0)
    transcript = client.get(
        f"/sessions/{session_id}/messages", headers={"Authorization": user["Authorization"]}
    ).json()
    assert [m["sender"] for m in transcript] == ["ai", "user", "ai"]


def test_malformed_frames_get_an_error_event_and_the_socket_stays(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    with open_socket(live_server, session_id, user["token"], last_event_id="not-an-id") as ws:
        assert next_event(ws)["type"] == "error"
        events_until(ws, is_ai_message)
        for frame in (
            "{nope",
            json.dumps({"type": "dance"}),
            json.dumps({"type": "message", "text": "", "client_id": "x"}),
            json.dumps({"type": "message", "text": "hi"}),
            b"\x00\x01",
        ):
            ws.send(frame)
            error = next_event(ws)
            assert error["type"] == "error" and error["id"] is None and error["data"]["message"]
        ws.send(json.dumps({"type": "message", "text": "x" * 5000, "client_id": "long"}))
        assert "longer than" in next_event(ws)["data"]["message"]
        _say(ws, "still here")
        assert events_until(ws, is_ai_message)[-1]["data"]["sender"] == "ai"


def test_oversized_frame_closes_with_1009(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    with open_socket(live_server, session_id, user["token"]) as ws:
        ws.send("x" * (65 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_input_after_the_end_is_refused(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started_session(client, user)
    client.patch(f"/sessions/{session_id}/end", headers={"Authorization": user["Authorization"]})
    with open_socket(live_server, session_id, user["token"]) as ws:
        events_until(ws, lambda e: e["type"] == "status" and e["data"]["status"] == "completed")
        _say(ws, "one more thing")
        error = events_until(ws, lambda e: e["type"] == "error")[-1]
        assert "completed" in error["data"]["message"]
