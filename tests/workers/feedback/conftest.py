"""The real container engine for the driver tests (the scoring tests reach it through the execution
pool's in-process worker instead). Provision it first:
DOCKER_HOST=$(scripts/engine.sh ensure | tail -1) .venv/bin/pytest tests/workers/feedback
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from workers.execution.pool import Pool
from workers.execution.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox_pool() -> Iterator[Pool]:
    host = os.environ.get("DOCKER_HOST")
    if not host:
        pytest.fail("DOCKER_HOST is not set: the drivers run in real sandbox containers", pytrace=False)
    sandbox = Sandbox(host, labels={"rehearse.test": "feedback"})
    pool = Pool(sandbox, size=1)
    yield pool
    pool.close()
    sandbox.close()
