"""The web tier scales out: any web process serves any session, and a client whose web process is
killed resumes through nginx on another one from its `last_event_id`, with no gap and no duplicate."""

from __future__ import annotations

import threading

from tests.scale.client import Candidate, Disconnected, assert_consistent
from tests.scale.cluster import Cluster, auth
from tests.scale.processes import wait_until


def _wait_disconnect(candidate: Candidate, timeout: float = 10.0) -> None:
    try:
        candidate.until(lambda _e: False, timeout)
    except Disconnected:
        return
    except AssertionError:
        pass
    raise AssertionError("the socket stayed open after its web process was killed")


def test_any_web_process_serves_any_session(cluster: Cluster) -> None:
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token)
        served = {
            cluster.web_named(http.get(f"/sessions/{session_id}", headers=auth(token)).headers["X-Upstream"])
            for _ in range(6)
        }
    assert served == set(cluster.web_ports), "nginx should spread one session's calls over both"
    sockets = []
    try:
        for _ in range(4):  # round-robin: sockets of one session on both web processes
            candidate = Candidate(cluster.base, session_id, token)
            sockets.append((cluster.web_named(candidate.connect()), candidate))
        assert {name for name, _ in sockets} == set(cluster.web_ports)
        for _, candidate in sockets:
            candidate.opening()
        writer = sockets[0][1]
        message_id = writer.wait_echo(writer.say("I split the monolith by domain."))["data"]["id"]
        for _, candidate in sockets:  # a frame sent to one process reaches sockets on the other
            candidate.wait_reply(message_id)
            assert [e["id"] for e in candidate.events] == [e["id"] for e in writer.events]
    finally:
        for _, candidate in sockets:
            candidate.close()


def test_killed_web_process_client_resumes_on_the_other(cluster: Cluster) -> None:
    with cluster.http() as http:
        token = cluster.user(http)
        session_id = cluster.started_session(http, token)
    candidate = Candidate(cluster.base, session_id, token)
    first = cluster.web_named(candidate.connect())
    candidate.opening()

    # 1. The frame is stored and echoed, then the web process dies before the reply is relayed.
    echo = candidate.wait_echo(candidate.say("First I would measure where the time goes."))
    message_id = echo["data"]["id"]
    cluster.procs[first].kill()
    _wait_disconnect(candidate)
    # The worker writes the reply while the client has no socket; it must be replayed, not lost.
    wait_until(lambda: any(r[3] == f"reply:{message_id}" for r in cluster.messages(session_id)), 60)
    second = cluster.web_named(candidate.reconnect())
    assert second != first
    candidate.wait_reply(message_id)
    restarter = threading.Thread(target=cluster.restart, args=(first,))
    restarter.start()  # the supervisor brings the dead one back meanwhile

    # 2. The web process dies right after the frame was sent: stored or not, the client resends it
    #    under the same client_id after reconnecting, and it is stored and answered once.
    client_id = candidate.say("Then I would add a cache in front of the hot reads.")
    restarter.join(60)
    cluster.procs[second].kill()
    _wait_disconnect(candidate)
    third = cluster.web_named(candidate.reconnect())
    assert third == first, "the restarted process takes the socket"
    second_id = candidate.wait_echo(client_id)["data"]["id"]
    candidate.wait_reply(second_id)

    # 3. Quiet: nothing more arrives, then everything the client saw is checked against the log.
    candidate.assert_quiet(1.5)
    candidate.close()
    assert candidate.connects == 3 and not candidate.unechoed
    assert_consistent(candidate, cluster.stream(session_id), cluster.messages(session_id))
