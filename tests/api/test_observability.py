"""Request ids, logs without secrets, Prometheus metrics, and bodies refused before they are read."""

from __future__ import annotations

import http.client
import inspect
import json
import logging
import re
import uuid
from pathlib import Path

import httpx
import pytest
from dramatiq.middleware import prometheus as dramatiq_prometheus
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from models.logs import Formatter
from tests.fixtures.waiting import wait_for
from tests.fixtures.ws import events_until, open_socket

ROOT = Path(__file__).resolve().parents[2]


def _metric(text: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels` (0 when there is none)."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def _auth(user: dict[str, str]) -> dict[str, str]:
    return {"Authorization": user["Authorization"]}


def test_the_request_id_is_kept_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234"}).headers["x-request-id"] == "lb-1234"
    made = client.get("/healthz", headers={"X-Request-ID": "not an id; " + "x" * 200}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_logs_name_the_request_and_session_and_never_a_secret(client: TestClient, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    email, password = f"log-{uuid.uuid4().hex[:8]}@example.com", f"pw-{uuid.uuid4().hex}"
    client.post("/auth/register", json={"email": email, "password": password})
    token = client.post("/auth/token", json={"email": email, "password": password}).json()["access_token"]
    assert client.post("/auth/token", data={"username": email, "password": password}).status_code == 200
    auth = {"Authorization": f"Bearer {token}"}
    session_id = client.post("/sessions", json={"type": "coding"}, headers=auth).json()["id"]
    url = f"/sessions/{session_id}?token={token}"
    assert client.get(url, headers={**auth, "X-Request-ID": "req-42"}).status_code == 200
    # uvicorn logs every WebSocket handshake with its query string, and the token is in it.
    logging.getLogger("uvicorn.error").info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5", f"/ws/{url}")

    lines = [Formatter().format(record) for record in caplog.records]
    for text in (*lines, caplog.text):
        assert password not in text and token not in text
    access = [json.loads(line) for line in lines if '"logger": "rehearse.access"' in line]
    read = next(line for line in access if line["request_id"] == "req-42")
    assert read["message"] == f"GET /sessions/{session_id} 200"  # the path, never the query string
    assert (read["session_id"], read["route"], read["status"]) == (session_id, "/sessions/{session_id}", 200)


def test_http_metrics_by_route_template(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    auth = _auth(make_user())
    unknown = str(uuid.uuid4())
    assert client.get(f"/sessions/{unknown}", headers=auth).status_code == 404
    assert client.get(f"/no/such/{unknown}").status_code == 404
    text = client.get("/metrics").text
    count = "rehearse_http_request_duration_seconds_count"
    assert _metric(text, count, method="GET", route="/sessions/{session_id}", status="404") >= 1
    assert _metric(text, count, method="GET", route="unmatched", status="404") >= 1
    assert unknown not in text  # ids never become labels
    assert "process_cpu_seconds_total" in text
    depths = [
        s
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == "rehearse_queue_messages"
    ]
    assert {(s.labels["queue"], s.labels["state"]) for s in depths} >= {
        ("interviewer", "ready"),
        ("timers", "delayed"),
    }


def test_the_dashboard_reads_metrics_that_exist(client: TestClient) -> None:
    dashboard = json.loads((ROOT / "docs" / "ops" / "grafana-rehearse.json").read_text())
    exprs = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", []))
    wanted = {
        re.sub(r"_(bucket|count|sum)$", "", name)
        for name in re.findall(r"\b(?:rehearse|dramatiq)_\w+", exprs)
    }
    served = {family.name for family in text_string_to_metric_families(client.get("/metrics").text)}
    dramatiq_source = inspect.getsource(dramatiq_prometheus)
    unknown = {
        n
        for n in wanted
        if n not in served and n.removesuffix("_total") not in served and n not in dramatiq_source
    }
    assert not unknown, f"the dashboard reads metrics nothing serves: {unknown}"


def test_websocket_metrics(client: TestClient, live_server: str, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    session_id = client.post("/sessions", json={"type": "behavioral"}, headers=_auth(user)).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=_auth(user)).status_code == 200

    def scrape(name: str, **labels: str) -> float:
        return _metric(httpx.get(f"http://{live_server}/metrics").text, name, **labels)

    before = {
        "open": scrape("rehearse_websockets_open"),
        "accepted": scrape("rehearse_ws_messages_received_total", outcome="accepted"),
        "rejected": scrape("rehearse_ws_messages_received_total", outcome="rejected"),
        "relayed": scrape("rehearse_ws_relay_lag_seconds_count"),
    }
    with open_socket(live_server, session_id, user["token"]) as ws:
        assert scrape("rehearse_websockets_open") == before["open"] + 1
        ws.send(json.dumps({"type": "message", "text": "hello", "client_id": "metrics-1"}))
        events_until(ws, lambda e: e["type"] == "message" and e["data"]["client_id"] == "metrics-1")
        ws.send("{not json")
        events_until(ws, lambda e: e["type"] == "error")
    wait_for(lambda: scrape("rehearse_websockets_open") == before["open"])
    assert scrape("rehearse_ws_messages_received_total", outcome="accepted") == before["accepted"] + 1
    assert scrape("rehearse_ws_messages_received_total", outcome="rejected") == before["rejected"] + 1
    assert scrape("rehearse_ws_relay_lag_seconds_count") > before["relayed"]  # the echo, live


@pytest.mark.parametrize("declared", [100 * 1024, 50 * 1024 * 1024])  # over the route's cap; over every cap
def test_a_declared_oversized_body_is_refused_before_it_is_sent(live_server: str, declared: int) -> None:
    host, port = live_server.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.putrequest("POST", "/auth/token")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(declared))
    connection.endheaders()  # and not one byte of the body
    response = connection.getresponse()
    assert response.status == 413
    assert "larger than" in json.loads(response.read())["error"]
    connection.close()


def test_a_streamed_body_is_cut_off_at_the_cap(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    chunk = b"a" * 65536

    def body():  # type: ignore[no-untyped-def]  # no Content-Length: chunked
        for _ in range(settings.drawing_max_bytes // len(chunk) + 20):
            yield chunk

    form = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post("/auth/token", content=body(), headers=form)
    assert response.status_code == 413 and "larger than" in response.json()["error"]
