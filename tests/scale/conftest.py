"""One deployment for every scale-out and fault test: 2 web processes behind nginx, 2 interviewer,
2 execution and 1 timers worker processes (the Procfile's lines), a dedicated Redis, and PostgreSQL
reached through a proxy a test can cut. Tests kill and restart parts of it; each test starts by
healing what an earlier one left down.

These tests are part of the normal `pytest` run (and of CI); `-m "not scale"` leaves them out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.scale.cluster import Cluster, Options
from tests.scale.llm import GatedOpenAI, running_gated_openai

# Low, so that a killed worker's messages come back within seconds (production: 15 s).
HEARTBEAT_TIMEOUT_MS = 3000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scale: starts and kills real processes (web, pools, nginx, Redis)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/scale/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.scale)


@pytest.fixture(scope="session")
def llm() -> Iterator[GatedOpenAI]:
    with running_gated_openai() as server:
        yield server


@pytest.fixture(scope="session")
def deployment(llm: GatedOpenAI) -> Iterator[Cluster]:
    env = {
        "REHEARSE_WORKER_HEARTBEAT_TIMEOUT_MS": str(HEARTBEAT_TIMEOUT_MS),
        "REHEARSE_NUDGE_AFTER_SECONDS": "3600",
        "REHEARSE_LLM_BASE_URL": llm.url,
        "REHEARSE_LLM_MODEL": "fake",
        # The gate holds a turn as long as a test wants; the fallback must not cut it short.
        "REHEARSE_LLM_FIRST_TOKEN_TIMEOUT_S": "60",
        "REHEARSE_LLM_TIMEOUT_S": "90",
        "REHEARSE_SANDBOX_POOL_SIZE": "1",
    }
    cluster = Cluster("scale", Options(env=env))
    try:
        cluster.start()
    except BaseException:
        print(cluster.logs())
        cluster.close(keep_logs=True)
        raise
    try:
        yield cluster
    finally:  # REHEARSE_KEEP_LOGS=1 keeps every process's log under the printed scratch directory
        cluster.close(keep_logs=bool(os.environ.get("REHEARSE_KEEP_LOGS")))


@pytest.fixture
def cluster(deployment: Cluster, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """The deployment, with anything an earlier test killed brought back; its logs when a test fails."""
    deployment.heal()
    yield deployment
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(deployment.logs(60))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
