"""Fixtures for the sandbox tests: the REAL container engine named by DOCKER_HOST.

Provision it first: DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/pytest tests/workers/execution
An unreachable engine fails the tests (never skips them): the sandbox is the product.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import docker
import pytest

from workers.execution.sandbox import API_VERSION, IMAGES, LABEL, Sandbox

SESSION_LABEL = "rehearse.test-session"
PROVISION = "DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/pytest tests/workers/execution"


@pytest.fixture(scope="session")
def docker_host() -> str:
    host = os.environ.get("DOCKER_HOST")
    if not host:
        pytest.fail(
            f"DOCKER_HOST is not set; the sandbox tests need the real engine. Run: {PROVISION}", pytrace=False
        )
    api = docker.APIClient(base_url=host, version=API_VERSION, timeout=10)
    try:
        api.ping()
    except Exception as exc:
        pytest.fail(
            f"the container engine at DOCKER_HOST={host} does not answer ({exc}). Run: {PROVISION}",
            pytrace=False,
        )
    for image in set(IMAGES.values()):
        try:
            api.inspect_image(image)
        except docker.errors.ImageNotFound:
            pytest.fail(f"image {image} is missing. Run: {PROVISION}", pytrace=False)
    return host


@pytest.fixture(scope="session")
def session_id() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def session_labels(session_id: str) -> dict[str, str]:
    """Added to every container this test session makes, so checks ignore other users' runs."""
    return {SESSION_LABEL: session_id}


@pytest.fixture(scope="session")
def sandbox(docker_host: str, session_labels: dict[str, str]) -> Iterator[Sandbox]:
    box = Sandbox(docker_host, labels=session_labels)
    yield box
    box.close()


@pytest.fixture(scope="session")
def our_containers(sandbox: Sandbox, session_labels: dict[str, str]) -> Callable[[], list[dict[str, Any]]]:
    filters = {"label": [f"{LABEL}=1"] + [f"{key}={value}" for key, value in session_labels.items()]}
    return lambda: sandbox.api.containers(all=True, filters=filters)


@pytest.fixture(autouse=True)
def no_container_left(sandbox: Sandbox, our_containers: Callable[[], list[dict[str, Any]]]) -> Iterator[None]:
    """Every test ends with none of this session's containers left (pools are closed first)."""
    yield
    sandbox.reaper.flush()
    left = our_containers()
    assert left == [], f"sandbox containers left behind: {[c['Id'][:12] for c in left]}"
