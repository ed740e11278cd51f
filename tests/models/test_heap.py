"""Long-running processes set their start-up objects aside from the garbage collector."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from api.app import create_app
from config import Settings
from models.heap import THRESHOLDS, freeze_startup_objects


def test_freezing_sets_startup_objects_aside_and_raises_the_thresholds() -> None:
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000  # modules, classes, banks: far more than a request makes
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_count()[0] < 700  # and the collector starts from a clean slate
    finally:
        gc.set_threshold(*before)


def test_the_web_process_freezes_once_started(settings: Settings) -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 0 and gc.get_threshold() == THRESHOLDS
