"""Test wiring: real Redis, real SQLite and PostgreSQL, real Dramatiq workers, the real app.

Every run uses its own Redis key namespace and its own databases, created here and dropped at the
end, so nothing depends on (or leaves) state on the machine. A missing service fails the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports the settings or the broker: this run's namespace and scratch directory.
RUN_ID = uuid.uuid4().hex[:10]
SCRATCH = Path(tempfile.mkdtemp(prefix=f"rehearse-test-{RUN_ID}-"))
os.environ.setdefault("REHEARSE_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["REHEARSE_NAMESPACE"] = f"rehearse-test-{RUN_ID}"
os.environ["REHEARSE_VAR_DIR"] = str(SCRATCH)
os.environ["REHEARSE_NUDGE_AFTER_SECONDS"] = "1"
os.environ["REHEARSE_RATE_AUTH_ATTEMPTS"] = "10000/minute"
os.environ["REHEARSE_RATE_SESSION_STARTS"] = "10000/hour"
os.environ["REHEARSE_WORKER_HEARTBEAT_TIMEOUT_MS"] = "5000"
os.environ["REHEARSE_FRONTEND_DIR"] = str(SCRATCH / "no-frontend")

import dramatiq  # noqa: E402
import redis  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import timers.tasks  # noqa: E402, F401  (declares the timers actors)
import workers.execution.tasks  # noqa: E402
import workers.feedback.tasks  # noqa: E402
import workers.interviewer.tasks  # noqa: E402, F401
from api.app import create_app  # noqa: E402
from config import Settings, get_settings  # noqa: E402
from models.broker import broker  # noqa: E402
from models.runtime import worker_runtime  # noqa: E402
from tests.fixtures.databases import create_database  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "REHEARSE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session", autouse=True)
def _redis_namespace() -> Iterator[None]:
    client = redis.Redis.from_url(os.environ["REHEARSE_REDIS_URL"])
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.exit(f"Redis is required at {os.environ['REHEARSE_REDIS_URL']}: {exc}", returncode=3)
    yield
    for key in client.scan_iter(match=f"{os.environ['REHEARSE_NAMESPACE']}:*", count=1000):
        client.delete(key)
    client.close()
    shutil.rmtree(SCRATCH, ignore_errors=True)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """The whole suite runs once per database engine."""
    with create_database(request.param, SCRATCH, PG_ADMIN_URL, RUN_ID) as url:
        os.environ["REHEARSE_DATABASE_URL"] = url
        get_settings.cache_clear()
        worker_runtime.cache_clear()
        yield get_settings()
        worker_runtime().close()
        worker_runtime.cache_clear()


@pytest.fixture(scope="session")
def worker(settings: Settings) -> Iterator[dramatiq.Worker]:
    """Dramatiq's own worker, in-process, on every queue, polling every 10 ms as production does."""
    broker.flush_all()
    dramatiq_worker = dramatiq.Worker(broker, worker_timeout=10, worker_threads=4)
    dramatiq_worker.start()
    yield dramatiq_worker
    dramatiq_worker.stop()
    broker.flush_all()


@pytest.fixture
def client(settings: Settings, worker: dramatiq.Worker) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def make_user(client: TestClient):  # type: ignore[no-untyped-def]
    def make(email: str | None = None, password: str = "correct horse battery") -> dict[str, str]:
        email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
        assert client.post("/auth/register", json={"email": email, "password": password}).status_code == 201
        token = client.post("/auth/token", json={"email": email, "password": password}).json()["access_token"]
        return {"Authorization": f"Bearer {token}", "token": token, "email": email}

    return make


@pytest.fixture(scope="session")
def live_server(settings: Settings, worker: dramatiq.Worker) -> Iterator[str]:
    """The app under uvicorn on a free loopback port: real sockets for the WebSocket tests."""
    from tests.fixtures.server import running_server

    with running_server(create_app(settings)) as base_url:
        yield base_url
