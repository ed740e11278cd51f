from __future__ import annotations

from datetime import datetime, timedelta

from starlette.testclient import TestClient


def _auth(user: dict[str, str]) -> dict[str, str]:
    return {"Authorization": user["Authorization"]}


def test_create_start_end(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(make_user())
    created = client.post("/sessions", json={"type": "behavioral", "duration_minutes": 30}, headers=headers)
    assert created.status_code == 201
    session = created.json()
    assert session["status"] == "created" and session["deadline"] is None and session["question"]["prompt"]

    started = client.patch(f"/sessions/{session['id']}/start", headers=headers)
    assert started.status_code == 200
    body = started.json()
    assert body["status"] == "in_progress"
    start, deadline = datetime.fromisoformat(body["start_time"]), datetime.fromisoformat(body["deadline"])
    assert deadline - start == timedelta(minutes=30)
    assert 29 * 60 <= body["remaining_seconds"] <= 30 * 60

    ended = client.patch(f"/sessions/{session['id']}/end", headers=headers)
    assert ended.status_code == 200 and ended.json()["status"] == "completed"
    assert client.get(f"/sessions/{session['id']}", headers=headers).json()["end_time"] is not None


def test_default_duration_and_validation(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(make_user())
    assert client.post("/sessions", json={"type": "coding"}, headers=headers).json()["duration_minutes"] == 45
    for bad in (
        {"type": "chess"},
        {"type": "coding", "duration_minutes": 4},
        {"type": "coding", "duration_minutes": 121},
        {},
        {"type": "coding", "surprise": 1},
        {"type": "coding", "question_id": "no-such-question"},
    ):
        response = client.post("/sessions", json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.json()["error"]


def test_illegal_transitions_are_409(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(make_user())
    session_id = client.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/end", headers=headers).status_code == 409
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    twice = client.patch(f"/sessions/{session_id}/start", headers=headers)
    assert twice.status_code == 409 and "in_progress" in twice.json()["error"]
    assert client.patch(f"/sessions/{session_id}/end", headers=headers).status_code == 200
    for path in ("start", "end"):
        assert client.patch(f"/sessions/{session_id}/{path}", headers=headers).status_code == 409
    drawing = {"elements": [], "appState": {}, "files": {}}
    assert client.post(f"/sessions/{session_id}/drawing", json=drawing, headers=headers).status_code == 409


def test_one_active_session_per_type(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(make_user())
    first = client.post("/sessions", json={"type": "system_design"}, headers=headers).json()["id"]
    second = client.post("/sessions", json={"type": "system_design"}, headers=headers).json()["id"]
    other_type = client.post("/sessions", json={"type": "behavioral"}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{first}/start", headers=headers).status_code == 200
    blocked = client.patch(f"/sessions/{second}/start", headers=headers)
    assert blocked.status_code == 409 and "already" in blocked.json()["error"]
    assert client.patch(f"/sessions/{other_type}/start", headers=headers).status_code == 200
    client.patch(f"/sessions/{first}/end", headers=headers)
    assert client.patch(f"/sessions/{second}/start", headers=headers).status_code == 200


def test_history_is_newest_first_and_private(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    alice, bob = _auth(make_user()), _auth(make_user())
    ids = [
        client.post("/sessions", json={"type": t}, headers=alice).json()["id"]
        for t in ("coding", "behavioral")
    ]
    history = client.get("/sessions", headers=alice).json()
    assert [s["id"] for s in history] == ids[::-1]
    assert client.get("/sessions", headers=bob).json() == []
    for method, path in (
        ("get", ""),
        ("get", "/messages"),
        ("patch", "/start"),
        ("patch", "/end"),
        ("get", "/drawing"),
    ):
        response = client.request(method.upper(), f"/sessions/{ids[0]}{path}", headers=bob)
        assert response.status_code == 404, path
    assert client.get("/sessions/not-a-session", headers=alice).status_code == 404


def test_drawing_saved_validated_and_capped(client: TestClient, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(make_user())
    session_id = client.post("/sessions", json={"type": "system_design"}, headers=headers).json()["id"]
    client.patch(f"/sessions/{session_id}/start", headers=headers)
    assert client.get(f"/sessions/{session_id}/drawing", headers=headers).status_code == 204
    box = {"id": "a", "type": "rectangle", "x": 0, "y": 0, "width": 100, "height": 50}
    scene = {
        "type": "excalidraw",
        "elements": [box],
        "appState": {"viewBackgroundColor": "#fff", "collaborators": {}},
        "files": {},
    }
    assert client.post(f"/sessions/{session_id}/drawing", json=scene, headers=headers).status_code == 201
    scene["elements"] = [box, {**box, "id": "b", "type": "text", "text": "cache"}]
    assert client.post(f"/sessions/{session_id}/drawing", json=scene, headers=headers).status_code == 201
    latest = client.get(f"/sessions/{session_id}/drawing", headers=headers).json()
    assert [e["id"] for e in latest["elements"]] == ["a", "b"]
    assert latest["appState"] == {"viewBackgroundColor": "#fff"}

    assert (
        client.post(f"/sessions/{session_id}/drawing", json={"elements": "nope"}, headers=headers).status_code
        == 422
    )
    no_id = {"elements": [{"type": "rectangle"}]}
    assert client.post(f"/sessions/{session_id}/drawing", json=no_id, headers=headers).status_code == 422
    huge = {
        "elements": [
            {**box, "id": str(i), "text": "x" * 1000} for i in range(settings.drawing_max_bytes // 1000 + 10)
        ]
    }
    too_big = client.post(f"/sessions/{session_id}/drawing", json=huge, headers=headers)
    assert too_big.status_code == 413
    nan = b'{"elements": [{"id": "n", "type": "rectangle", "x": NaN}]}'
    bad_json = client.post(
        f"/sessions/{session_id}/drawing",
        content=nan,
        headers={**headers, "content-type": "application/json"},
    )
    assert bad_json.status_code == 400
