"""The report through the API: ending a session starts the feedback pool (a real Dramatiq worker);
409 while the interview runs, 202 while it is scored, 200 with the report; progress over time."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from starlette.testclient import TestClient

from models.report import NOT_ENOUGH_EVIDENCE, Progress, Report
from models.runtime import worker_runtime
from models.streams import stream_key
from tests.workers.analysis.answers import CONFLICT_STRONG
from tests.workers.feedback.sessions import say

SCORING_TIMEOUT_S = 240  # the first report of a test run also loads the embedding model


def _started(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> str:
    session_id: str = client.post("/sessions", json=body, headers=headers).json()["id"]
    assert client.patch(f"/sessions/{session_id}/start", headers=headers).status_code == 200
    return session_id


def _say(session_id: str, question_id: str, texts: list[str]) -> None:
    """Candidate messages written directly, as the WebSocket would have stored them."""
    with worker_runtime().db.unit_of_work() as work:
        say(work.session, session_id, question_id, texts)


def _report(client: TestClient, headers: dict[str, str], session_id: str) -> tuple[list[int], dict[str, Any]]:
    """Poll until the report is ready; returns every status seen and the report."""
    statuses: list[int] = []
    deadline = time.monotonic() + SCORING_TIMEOUT_S
    while time.monotonic() < deadline:
        response = client.get(f"/sessions/{session_id}/feedback", headers=headers)
        statuses.append(response.status_code)
        if response.status_code == 200:
            return statuses, response.json()
        assert response.status_code == 202 and response.json() == {"status": "pending"}, response.text
        time.sleep(0.2)
    raise AssertionError(f"no report within {SCORING_TIMEOUT_S} s: {statuses[-5:]}")


def test_the_report_follows_the_session(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    created: str = client.post(
        "/sessions", json={"type": "behavioral", "question_id": "bh-conflict-teammate"}, headers=headers
    ).json()["id"]
    assert client.get(f"/sessions/{created}/feedback", headers=headers).status_code == 409
    assert client.patch(f"/sessions/{created}/start", headers=headers).status_code == 200
    running = client.get(f"/sessions/{created}/feedback", headers=headers)
    assert running.status_code == 409 and "in progress" in running.json()["error"]
    _say(created, "bh-conflict-teammate", CONFLICT_STRONG)
    assert client.patch(f"/sessions/{created}/end", headers=headers).status_code == 200
    statuses, body = _report(client, headers, created)
    assert set(statuses[:-1]) <= {202} and statuses[-1] == 200
    report = Report.model_validate(body)
    assert report.session_type == "behavioral" and report.scorer == "rules" and report.version == 1
    assert report.overall >= 70 and report.verdict in ("strong_hire", "hire")
    assert {d.key for d in report.dimensions} == {"star", "specificity", "reflection", "relevance"}
    assert all(d.evidence for d in report.dimensions if d.score) and report.strengths
    assert report.questions[0].question_id == "bh-conflict-teammate"
    assert client.get(f"/sessions/{created}", headers=headers).json()["overall_score"] == report.overall
    rt = worker_runtime()
    entries = rt.redis.xrange(stream_key(rt.settings.namespace, created))
    ready = [json.loads(f[b"data"]) for _, f in entries if f[b"type"] == b"feedback_ready"]
    assert ready == [{"session_id": created, "overall": report.overall}]
    assert client.get(f"/sessions/{created}/feedback", headers=headers).json() == body  # stable


def test_someone_elses_report_is_not_found(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    owner = {"Authorization": make_user()["Authorization"]}
    stranger = {"Authorization": make_user()["Authorization"]}
    session_id = _started(client, owner, {"type": "system_design"})
    assert client.get(f"/sessions/{session_id}/feedback", headers=stranger).status_code == 404
    assert client.get(f"/sessions/{uuid.uuid4()}/feedback", headers=owner).status_code == 404
    assert client.get(f"/sessions/{session_id}/feedback").status_code == 401
    assert client.get("/me/progress").status_code == 401


def test_progress_shows_scores_over_time_and_what_moved(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    assert client.get("/me/progress", headers=headers).json() == {
        "domains": {"system_design": [], "coding": [], "behavioral": []},
        "moved": [],
    }
    reports = []
    for texts in (CONFLICT_STRONG, []):  # a strong story, then silence
        session_id = _started(client, headers, {"type": "behavioral", "question_id": "bh-conflict-teammate"})
        _say(session_id, "bh-conflict-teammate", texts)
        assert client.patch(f"/sessions/{session_id}/end", headers=headers).status_code == 200
        reports.append((session_id, Report.model_validate(_report(client, headers, session_id)[1])))
    progress = Progress.model_validate(client.get("/me/progress", headers=headers).json())
    points = progress.domains["behavioral"]
    assert [p.session_id for p in points] == [sid for sid, _ in reports]  # oldest first
    assert [p.overall for p in points] == [r.overall for _, r in reports]
    assert (
        points[0].dimensions["star"] == reports[0][1].dimensions[0].score
        and points[1].dimensions["star"] is None
    )
    assert progress.domains["coding"] == [] and progress.domains["system_design"] == []
    moved = {m.key: m for m in progress.moved}
    assert set(moved) == {"star", "specificity", "reflection", "relevance"}
    assert all(m.domain == "behavioral" and m.delta < 0 and m.latest is None for m in moved.values())
    assert reports[1][1].dimensions[0].note.startswith(NOT_ENOUGH_EVIDENCE)
