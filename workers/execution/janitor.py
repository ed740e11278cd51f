"""Sweep sandbox containers that outlived their run (a worker crashed or was killed mid-run).

Call `sweep` from a periodic job. Every sandbox container carries the `rehearse.sandbox` label and
its creation time; a run lasts seconds and a pooled container is recycled after
`Pool.max_idle_s`, so anything older than `max_age_s` is an orphan.
"""

import logging
import time

import docker
import docker.errors

from workers.execution.sandbox import CREATED_LABEL, LABEL

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE_S = 600


def sweep(
    api: docker.APIClient, max_age_s: float = DEFAULT_MAX_AGE_S, *, labels: dict[str, str] | None = None
) -> list[str]:
    """Force-remove our containers older than max_age_s; returns the ids removed.

    labels narrows the sweep (e.g. to one test session or one worker's containers).
    """
    now = time.time()
    removed = []
    wanted = [f"{LABEL}=1"] + [f"{key}={value}" for key, value in (labels or {}).items()]
    for container in api.containers(all=True, filters={"label": wanted}):
        if now - created_at(container) < max_age_s:
            continue
        try:
            api.remove_container(container["Id"], force=True)
            removed.append(container["Id"])
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError:
            log.warning("janitor could not remove %s", container["Id"], exc_info=True)
    if removed:
        log.info("janitor removed %d orphaned sandbox containers", len(removed))
    return removed


def created_at(container: dict[str, object]) -> float:
    """Our label (the runner's clock) first; the engine's Created field as a fallback."""
    labels = container.get("Labels") or {}
    assert isinstance(labels, dict)
    try:
        return float(labels[CREATED_LABEL])
    except (KeyError, ValueError):
        created = container.get("Created")
        return float(created) if isinstance(created, int | float) else 0.0
