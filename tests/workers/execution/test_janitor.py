"""The janitor removes orphaned sandbox containers by label and age, and nothing younger."""

import time
from collections.abc import Callable
from typing import Any

import pytest

from workers.execution.janitor import sweep
from workers.execution.sandbox import CREATED_LABEL, IMAGES, LABEL, Language, Sandbox

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(60)]


def orphan(sandbox: Sandbox, session_labels: dict[str, str], age_s: float) -> str:
    """A created (never started) container labelled as if made age_s ago, like a crashed run's."""
    labels = {LABEL: "1", **session_labels, CREATED_LABEL: str(int(time.time() - age_s))}
    return sandbox.api.create_container(IMAGES[Language.PYTHON], labels=labels)["Id"]  # type: ignore[no-any-return]


def test_sweep_removes_only_old_containers(
    sandbox: Sandbox, session_labels: dict[str, str], our_containers: Callable[[], list[dict[str, Any]]]
) -> None:
    old = orphan(sandbox, session_labels, age_s=3600)
    young = orphan(sandbox, session_labels, age_s=5)
    running = sandbox.start_container(Language.PYTHON, 256)  # a live run's container, seconds old
    try:
        removed = sweep(sandbox.api, max_age_s=600, labels=session_labels)
        assert removed == [old]
        assert {c["Id"] for c in our_containers()} == {young, running}
    finally:
        for container_id in (young, running):
            sandbox.api.remove_container(container_id, force=True)
