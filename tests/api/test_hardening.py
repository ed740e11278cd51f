"""Found by fuzzing and probing the API: NUL characters and a NUL in a path id reached PostgreSQL
(500), a 405 named one method of the path, a drawing element's required fields were undocumented."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from api.app import create_app
from config import Settings
from tests.fixtures.ws import events_until, open_socket


def _started(client: TestClient, headers: dict[str, str]) -> str:
    session_id: str = client.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def test_nul_characters_are_refused_on_every_engine(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _started(client, headers)
    bodies = {
        f"/sessions/{session_id}/code": {"language": "python", "code": "print(1)\u0000"},
        f"/sessions/{session_id}/drawing": {"elements": [{"id": "a", "type": "text", "text": "\u0000"}]},
        "/sessions": {"type": "coding", "question_id": "x\u0000"},
    }
    for path, body in bodies.items():
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 422 and "NUL" in response.json()["error"], path


def test_a_session_id_of_another_shape_is_not_found_without_asking_the_database(
    client: TestClient, make_user
) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    for path in ("/sessions/a%00b", "/sessions/" + "9" * 500, "/sessions/not-a-session/messages"):
        assert client.get(path, headers=headers).status_code == 404, path


def test_a_wrong_method_names_every_method_of_the_path(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    response = client.delete("/sessions", headers=headers)
    assert response.status_code == 405 and response.json()["error"]
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_a_drawing_element_needs_an_id_and_a_type_as_documented(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _started(client, headers)
    response = client.post(
        f"/sessions/{session_id}/drawing", json={"elements": [{"type": "x"}]}, headers=headers
    )
    assert response.status_code == 422 and "elements.0.id" in response.json()["error"]
    element = client.get("/openapi.json").json()["components"]["schemas"]["DrawingElement"]
    assert set(element["required"]) == {"id", "type"}


def test_a_chat_frame_with_a_nul_gets_an_error_event(client: TestClient, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = _started(client, {"Authorization": user["Authorization"]})
    with open_socket(live_server, session_id, user["token"]) as ws:
        ws.send(json.dumps({"type": "message", "text": "a\u0000b", "client_id": "nul-1"}))
        error = events_until(ws, lambda e: e["type"] == "error")[-1]
        assert "NUL" in error["data"]["message"]


def test_without_redis_every_path_answers_503_not_500(settings: Settings, make_user) -> None:  # type: ignore[no-untyped-def]
    """Found in the fault tests: /healthz and every rate-limited route answered 500 while Redis was down."""
    user = make_user()
    headers = {"Authorization": user["Authorization"]}
    nobody = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})  # refused at once
    with TestClient(create_app(nobody), raise_server_exceptions=False) as offline:
        session_id = offline.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
        for method, path, body in [
            ("GET", "/healthz", None),
            ("POST", "/auth/token", {"email": user["email"], "password": "correct horse battery"}),
            ("PATCH", f"/sessions/{session_id}/start", None),
        ]:
            response = offline.request(method, path, json=body, headers=headers)
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.json()["error"] and response.headers["Retry-After"] == "1"
        # Reads need only the database; the refused start changed nothing.
        assert offline.get(f"/sessions/{session_id}", headers=headers).json()["status"] == "created"
