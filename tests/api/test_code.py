"""Code runs through the whole pipeline: API -> execution pool -> real container -> verdict."""

from __future__ import annotations

import time

from starlette.testclient import TestClient

from tests.fixtures.ws import events_until, open_socket
from workers.execution import service, tasks
from workers.execution.pool import Pool
from workers.execution.sandbox import Sandbox


def _coding_session(client: TestClient, headers: dict[str, str]) -> str:
    session_id: str = client.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def test_run_returns_the_verdict_stores_it_and_streams_it(client, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    headers = {"Authorization": user["Authorization"]}
    session_id = _coding_session(client, headers)
    ok = client.post(
        f"/sessions/{session_id}/code",
        json={"language": "python", "code": "print(input()[::-1])", "stdin": "abc\n"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert (
        body["status"] == "ok"
        and body["stdout"] == "cba\n"
        and body["exit_code"] == 0
        and body["duration_ms"] >= 0
    )
    failing = client.post(
        f"/sessions/{session_id}/code", json={"language": "javascript", "code": "function ("}, headers=headers
    ).json()
    assert failing["status"] == "error" and "SyntaxError" in failing["stderr"]
    typed = client.post(
        f"/sessions/{session_id}/code",
        json={
            "language": "typescript",
            "code": "enum Color { Red }\nconst n: number = 41;\nconsole.log(n + 1, Color.Red);",
        },
        headers=headers,
    ).json()
    assert typed["status"] == "ok" and typed["stdout"].strip() == "42 0"
    runs = client.get(f"/sessions/{session_id}/code", headers=headers).json()
    assert [r["id"] for r in runs] == [body["id"], failing["id"], typed["id"]]
    seen: list[dict] = []  # type: ignore[type-arg]

    def both_arrived(event: dict) -> bool:  # type: ignore[type-arg]
        seen.append(event)
        results = [e for e in seen if e["type"] == "code_result"]
        comments = [
            e
            for e in seen
            if e["type"] == "message" and "SyntaxError: Function statements" in e["data"]["text"]
        ]
        return len(results) == 3 and len(comments) == 1

    with open_socket(live_server, session_id, user["token"]) as ws:
        events_until(ws, both_arrived)
    assert [e["data"]["status"] for e in seen if e["type"] == "code_result"] == ["ok", "error", "ok"]


def test_timeout_is_a_verdict_not_an_error(client, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _coding_session(client, headers)
    spin = client.post(
        f"/sessions/{session_id}/code",
        json={"language": "python", "code": "while True: pass"},
        headers=headers,
    )
    assert spin.status_code == 200 and spin.json()["status"] == "timeout"


def test_bad_run_requests(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _coding_session(client, headers)
    url = f"/sessions/{session_id}/code"
    assert client.post(url, json={"language": "cobol", "code": "x"}, headers=headers).status_code == 422
    assert client.post(url, json={"language": "python"}, headers=headers).status_code == 422
    big = client.post(
        url, json={"language": "python", "code": "#" * (settings.code_max_bytes + 1)}, headers=headers
    )
    assert big.status_code == 413
    client.patch(f"/sessions/{session_id}/end", headers=headers)
    assert (
        client.post(url, json={"language": "python", "code": "print(1)"}, headers=headers).status_code == 409
    )


def test_engine_down_is_retried_then_a_readable_verdict(client, make_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unreachable engine is Dramatiq's to retry (with backoff); after the last retry the user
    gets an `error` verdict that says what happened, never a 500 or a hang."""
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = _coding_session(client, headers)
    down = Pool(Sandbox("unix:///nonexistent/rehearse-engine.sock"), size=0)
    attempts: list[float] = []
    real_run = down.run

    def counted_run(request):  # type: ignore[no-untyped-def]
        attempts.append(time.monotonic())
        return real_run(request)

    monkeypatch.setattr(down, "run", counted_run)
    monkeypatch.setattr(service, "_pool", down)  # what every execution worker thread here uses
    try:
        response = client.post(
            f"/sessions/{session_id}/code", json={"language": "python", "code": "print(1)"}, headers=headers
        )
    finally:
        down.close()
        down.sandbox.close()
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["status"] == "error" and verdict["exit_code"] is None
    assert "code runner is unavailable" in verdict["stderr"]
    assert len(attempts) == tasks.MAX_RETRIES + 1
    assert attempts[-1] - attempts[0] >= 0.5  # backed off between attempts
    stored = client.get(f"/sessions/{session_id}/code", headers=headers).json()
    assert [run["status"] for run in stored] == ["error"]
