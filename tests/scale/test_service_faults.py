"""Redis and PostgreSQL going away under a live deployment: nothing restarts, nothing committed is
lost, clients resume, and while the database is away every path answers 503 fast."""

from __future__ import annotations

import time
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from tests.scale.client import Candidate, Disconnected, assert_consistent
from tests.scale.cluster import Cluster, auth
from tests.scale.processes import wait_until

FAIL_FAST_S = 2.5  # "within ~2 s": PostgreSQL's connect_timeout is 2 s, plus nginx and the request


def _pids(cluster: Cluster) -> dict[str, int]:
    return {name: proc.pid for name, proc in cluster.procs.items()}


def _until_echoed(candidate: Candidate, client_id: str, timeout: float = 40.0) -> dict[str, Any]:
    """What a client does after an outage: reconnect if the socket died, resend until echoed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return candidate.wait_echo(client_id, timeout=3)
        except Disconnected:
            candidate.reconnect(timeout=max(1.0, deadline - time.monotonic()))
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            candidate.resend()


def test_redis_restart_clients_resume_nothing_lost(cluster: Cluster) -> None:
    assert cluster.redis_server is not None
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token)
    candidate = Candidate(cluster.base, session_id, token)
    listener = Candidate(cluster.base, session_id, token)  # a second tab: it only listens
    assert {cluster.web_named(candidate.connect()), cluster.web_named(listener.connect())} == set(
        cluster.web_ports
    ), "one socket on each web process"
    candidate.opening()
    first = candidate.wait_echo(candidate.say("I asked for a design review first."))["data"]["id"]
    candidate.wait_reply(first)
    listener.wait_reply(first)
    pids = _pids(cluster)

    cluster.redis_server.kill()  # a crash: its append-only file has every acknowledged write
    with cluster.http() as http:  # reads need only the database
        assert http.get(f"/sessions/{session_id}", headers=auth(token)).status_code == 200
    during = candidate.say("Then we agreed on a small experiment.")  # stored, but not delivered
    problem = candidate.until(lambda e: e["type"] == "error", timeout=15)
    assert "unavailable" in problem["data"]["message"]
    assert [r[2] for r in cluster.messages(session_id)].count(during) == 1  # committed, not delivered
    time.sleep(1.0)
    cluster.redis_server.start()
    back = time.monotonic()

    second = _until_echoed(candidate, during)["data"]["id"]  # resent under the same client_id
    candidate.wait_reply(second)
    listener.wait_reply(second)  # the silent socket resumes by itself
    assert candidate.connects == listener.connects == 1, "both sockets stayed open throughout"
    print(
        f"redis restart: the resent message was answered {time.monotonic() - back:.1f} s after Redis was back"
    )
    with cluster.http() as http:  # a new session's opening: the web tier enqueues, the pools consume
        other = cluster.started_session(http, cluster.user(http))
    candidate.assert_quiet(1.5)
    candidate.close()
    listener.close()
    assert _pids(cluster) == pids, "no process was restarted"
    for client in (candidate, listener):
        assert_consistent(client, cluster.stream(session_id), cluster.messages(session_id))
    wait_until(lambda: any(r[1] == "ai" for r in cluster.messages(other)), 60, what="an opening")


@pytest.mark.parametrize("mode", ["refuse", "blackhole"])
def test_database_outage_fails_fast_with_503_and_recovers(cluster: Cluster, mode: str) -> None:
    assert cluster.proxy is not None
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token)
    candidate = Candidate(cluster.base, session_id, token)
    candidate.connect()
    candidate.opening()
    pids = _pids(cluster)

    took: dict[str, float] = {}
    cluster.proxy.cut(mode)
    try:
        with cluster.http(timeout=30) as http:
            calls = {
                "GET /sessions/{id}": lambda: http.get(f"/sessions/{session_id}", headers=auth(token)),
                "POST /sessions": lambda: http.post(
                    "/sessions", json={"type": "coding"}, headers=auth(token)
                ),
                "GET /healthz": lambda: http.get("/healthz"),
                "POST /auth/token": lambda: http.post(
                    "/auth/token", json={"email": "a@b.cd", "password": "x" * 9}
                ),
            }
            for name, call in calls.items():
                started = time.monotonic()
                response = call()
                took[name] = time.monotonic() - started
                assert response.status_code == 503, (name, response.status_code, response.text)
                assert response.json()["error"], name
        # A new socket is refused with the same 503 at the handshake...
        started = time.monotonic()
        with pytest.raises(InvalidStatus) as refused:
            Candidate(cluster.base, session_id, token).connect(timeout=10)
        took["WebSocket handshake"] = time.monotonic() - started
        assert refused.value.response.status_code == 503
        assert b'"error"' in refused.value.response.body
        # ...and a live one gets an error event for its frame, and stays open.
        started = time.monotonic()
        client_id = candidate.say("Our p99 doubled after the deploy.")
        problem = candidate.until(lambda e: e["type"] == "error", timeout=10)
        took["WebSocket frame"] = time.monotonic() - started
        assert "unavailable" in problem["data"]["message"]
    finally:
        cluster.proxy.restore()
    print(f"database {mode}: 503 in " + ", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
    slow = {name: round(seconds, 2) for name, seconds in took.items() if seconds >= FAIL_FAST_S}
    assert not slow, f"not failing fast: {slow}"

    with cluster.http() as http:  # back without restarting anything
        wait_until(
            lambda: http.get(f"/sessions/{session_id}", headers=auth(token)).status_code == 200,
            10,
            what="the API answering again",
        )
    message_id = _until_echoed(candidate, client_id)["data"]["id"]
    candidate.wait_reply(message_id)
    candidate.assert_quiet(1.0)
    candidate.close()
    assert _pids(cluster) == pids, "no process was restarted"
    assert_consistent(candidate, cluster.stream(session_id), cluster.messages(session_id))
