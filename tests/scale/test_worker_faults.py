"""A worker process killed (SIGKILL) in the middle of a job: Dramatiq's Redis broker redelivers the
job once the dead process's heartbeat is older than the timeout, another process of the pool runs
it, and its effect happens once: one reply, one stored verdict, no container left behind."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx

from models.jobs import CleanSandboxes
from tests.scale.client import Candidate, assert_consistent
from tests.scale.cluster import Cluster
from tests.scale.conftest import HEARTBEAT_TIMEOUT_MS
from tests.scale.llm import GatedOpenAI
from tests.scale.processes import owns_connection, wait_until
from workers.execution.service import OWNER_LABEL, PROCESS_LABEL


def _holder(cluster: Cluster, llm: GatedOpenAI) -> str | None:
    """The interviewer process whose connection the fake LLM is holding."""
    port = llm.held_from[-1]
    for name, proc in cluster.procs.items():
        if name.startswith("interviewer") and owns_connection(proc.pids(), port, llm.port):
            return name
    return None


def test_interviewer_killed_mid_turn_replies_once(cluster: Cluster, llm: GatedOpenAI) -> None:
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token)
    candidate = Candidate(cluster.base, session_id, token)
    candidate.connect()
    candidate.opening()

    held = len(llm.held_from)
    llm.close_gate()  # the next turn stops in its phrasing step, after deciding, before replying
    try:
        echo = candidate.wait_echo(candidate.say("We disagreed on the schema, so I wrote both up."))
        message_id = echo["data"]["id"]
        wait_until(lambda: len(llm.held_from) > held, 60, what="the turn reached the LLM")
        victim = wait_until(lambda: _holder(cluster, llm), 10, what="the worker holding the turn found")
        assert cluster.messages(session_id)[-1][3] != f"reply:{message_id}"  # in the middle
        cluster.procs[victim].kill()
        killed_at = time.monotonic()
    finally:
        llm.open_gate()

    reply = candidate.wait_reply(message_id, timeout=60)
    redelivered_after = time.monotonic() - killed_at
    candidate.assert_quiet(2.0)
    candidate.close()
    assert redelivered_after >= HEARTBEAT_TIMEOUT_MS / 1000 * 0.9, "the reply came before any redelivery"
    assert len(candidate.replies_to(message_id)) == 1
    replies = [row for row in cluster.messages(session_id) if row[3] == f"reply:{message_id}"]
    assert len(replies) == 1 and replies[0][0] == reply["data"]["id"]
    assert_consistent(candidate, cluster.stream(session_id), cluster.messages(session_id))
    print(f"interviewer: killed {victim} mid-turn; reply {redelivered_after:.1f} s after the kill")


SLOW_CODE = "import time\nprint({marker!r}, flush=True)\ntime.sleep(3)\nprint('done')\n"


def _running(cluster: Cluster, marker: str) -> dict[str, Any] | None:
    """The sandbox container whose program has printed `marker` (it is running the code now)."""
    for container in cluster.containers():
        if container.get("State") == "running" and marker.encode() in cluster.container_logs(container["Id"]):
            return container
    return None


def test_execution_killed_mid_run_one_verdict_no_orphan(cluster: Cluster) -> None:
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token, "coding")
    candidate = Candidate(cluster.base, session_id, token)
    candidate.connect()
    candidate.opening()
    marker = f"started-{uuid.uuid4().hex[:8]}"
    answer: dict[str, Any] = {}

    def run() -> None:
        with httpx.Client(base_url=f"http://{cluster.base}", timeout=90) as client:
            response = client.post(
                f"/sessions/{session_id}/code",
                json={"language": "python", "code": SLOW_CODE.format(marker=marker)},
                headers={"Authorization": f"Bearer {token}"},
            )
            answer.update(status=response.status_code, body=response.json())

    caller = threading.Thread(target=run)
    caller.start()
    container = wait_until(lambda: _running(cluster, marker), 60, interval=0.2, what="the code running")
    owner = container["Labels"][OWNER_LABEL]
    pid = int(container["Labels"][PROCESS_LABEL].rsplit(":", 1)[1])
    victim = cluster.proc_with_pid(pid)
    cluster.procs[victim].kill()
    killed_at = time.monotonic()

    caller.join(90)
    # The endpoint waits ~20 s for the verdict; past that it answers 202 and the verdict arrives on
    # the session's stream (the redelivered run is a heartbeat timeout plus a whole run late).
    assert answer.get("status") in (200, 202), answer
    result = candidate.until(lambda e: e["type"] == "code_result", 60)
    verdict = answer["body"] if answer["status"] == 200 else result["data"]
    assert verdict["id"] == result["data"]["id"] == answer["body"]["id"]
    assert verdict["status"] == "ok" and verdict["stdout"] == f"{marker}\ndone\n", verdict
    redone = time.monotonic() - killed_at
    assert redone >= HEARTBEAT_TIMEOUT_MS / 1000 * 0.9
    runs = cluster.query(
        "SELECT id, status, stdout FROM code_submissions WHERE session_id = :s", s=session_id
    )
    assert [(r[0], r[1]) for r in runs] == [(verdict["id"], "ok")]
    code_turn = f"{session_id}:code:{verdict['id']}"
    candidate.until(lambda e: e["type"] == "message" and e["data"].get("message_key") == code_turn, 60)
    candidate.assert_quiet(2.0)
    candidate.close()
    results = [e for e in candidate.events if e["type"] == "code_result"]
    assert len(results) == 1 and results[0]["data"]["id"] == verdict["id"]
    assert [row[3] for row in cluster.messages(session_id)].count(f"code:{verdict['id']}") == 1

    # The dead worker's containers (the one that ran the code, its pooled ones) are orphans now:
    # the janitor, run as the scheduler runs it, removes them and nothing of the live workers.
    left = [c["Id"] for c in cluster.containers() if c["Labels"].get(OWNER_LABEL) == owner]
    assert container["Id"] in left, "the killed run's container should be there before the janitor"
    live_before = {c["Id"] for c in cluster.containers() if c["Labels"].get(OWNER_LABEL) != owner}
    cluster.enqueue(CleanSandboxes())
    wait_until(
        lambda: not [c for c in cluster.containers() if c["Labels"].get(OWNER_LABEL) == owner],
        30,
        interval=0.5,
        what="the dead worker's containers removed",
    )
    assert live_before <= {c["Id"] for c in cluster.containers()}, "a live worker's container was swept"
    print(
        f"execution: killed {victim} mid-run; verdict {answer['status']} {redone:.1f} s after the kill; "
        f"janitor removed {len(left)} orphaned containers"
    )
