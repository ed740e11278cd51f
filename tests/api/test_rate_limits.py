"""Abuse limits live in Redis, so they hold across web processes; over the limit is 429 + Retry-After."""

from __future__ import annotations

import uuid

from starlette.testclient import TestClient

from api.app import create_app
from config import Settings


def _strict(settings: Settings, **limits: str) -> Settings:
    """These limits, counted under a namespace of their own (no other test's hits count)."""
    return settings.model_copy(
        update={**limits, "namespace": f"{settings.namespace}:rl-{uuid.uuid4().hex[:6]}"}
    )


def _signed_in(client: TestClient) -> dict[str, str]:
    email = f"limited-{uuid.uuid4().hex[:8]}@example.com"
    client.post("/auth/register", json={"email": email, "password": "long enough"})
    token = client.post("/auth/token", json={"email": email, "password": "long enough"}).json()[
        "access_token"
    ]
    return {"Authorization": f"Bearer {token}"}


def test_auth_attempts_are_limited_per_client_address(settings: Settings) -> None:
    strict = _strict(settings, rate_auth_attempts="3/minute")
    with TestClient(create_app(strict)) as first, TestClient(create_app(strict)) as second:
        body = {"email": "nobody@example.com", "password": "wrong password"}
        assert [first.post("/auth/token", json=body).status_code for _ in range(2)] == [401, 401]
        assert second.post("/auth/token", json=body).status_code == 401  # another web process, same counter
        limited = first.post("/auth/token", json=body)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert "too many requests" in limited.json()["error"]


def test_session_starts_are_limited_per_user(settings: Settings, worker) -> None:  # type: ignore[no-untyped-def]
    strict = _strict(settings, rate_session_starts="2/hour")
    with TestClient(create_app(strict)) as client:
        headers = _signed_in(client)
        codes = []
        for session_type in ("coding", "behavioral", "system_design"):
            session_id = client.post("/sessions", json={"type": session_type}, headers=headers).json()["id"]
            codes.append(client.patch(f"/sessions/{session_id}/start", headers=headers).status_code)
        assert codes == [200, 200, 429]


def test_code_runs_are_limited_per_user(settings: Settings, worker) -> None:  # type: ignore[no-untyped-def]
    strict = _strict(settings, rate_code_runs="2/minute")
    with TestClient(create_app(strict)) as client:
        headers = _signed_in(client)
        session_id = client.post("/sessions", json={"type": "coding"}, headers=headers).json()["id"]
        assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
        url = f"/sessions/{session_id}/code"
        run = {"language": "python", "code": "print(6 * 7)"}
        outputs = [client.post(url, json=run, headers=headers).json()["stdout"] for _ in range(2)]
        assert outputs == ["42\n", "42\n"]
        limited = client.post(url, json=run, headers=headers)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert "too many requests" in limited.json()["error"]
        # The refused run was never stored: the session has exactly the two that ran.
        assert len(client.get(url, headers=headers).json()) == 2
