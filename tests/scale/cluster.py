"""A whole deployment on loopback, started from the Procfile's own lines: N web processes behind
nginx, the Dramatiq pools as separate processes, a fresh PostgreSQL database (migrated with
Alembic), a Redis of its own (or a namespace of the machine's) and a key namespace. Shared by
tests/scale/ and bench/load.py; nothing is left behind (processes, database, keys, containers).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import httpx
import redis
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from config import Settings
from models.broker import build_broker, message_for
from models.jobs import Job
from tests.scale.processes import BIN, ROOT, Proc, connections_to, free_port, port_open, wait_until
from tests.scale.services import Nginx, PgProxy, RedisServer
from workers.execution.sandbox import LABEL as SANDBOX_LABEL
from workers.execution.service import NAMESPACE_LABEL

PG_ADMIN_URL = os.environ.get(
    "REHEARSE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SHARED_REDIS_URL = "redis://127.0.0.1:6379/0"
QUESTIONS = {
    "behavioral": "bh-conflict-teammate",
    "coding": "coding-two-sum",
    "system_design": "sd-url-shortener",
}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def procfile() -> dict[str, str]:
    """The Procfile's lines: process type -> shell command line (run with `sh -c`, as honcho does)."""
    lines: dict[str, str] = {}
    for raw in (ROOT / "Procfile").read_text().splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            name, _, command = raw.partition(":")
            lines[name.strip()] = command.strip()
    return lines


def docker_host() -> str:
    """The engine the execution pool uses: $DOCKER_HOST (as `make test` exports), else engine.sh."""
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"]
    done = subprocess.run(
        [str(ROOT / "scripts" / "engine.sh"), "ensure"], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/engine.sh ensure failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Options:
    web: int = 2
    interviewer: int = 2
    execution: int = 2
    timers: int = 1
    dedicated_redis: bool = True  # False: the machine's Redis, with a namespace of our own
    db_proxy: bool = True  # the product reaches PostgreSQL through a PgProxy the test can cut
    env: dict[str, str] = field(default_factory=dict)  # REHEARSE_* settings for every process


class Cluster:
    def __init__(self, label: str, options: Options) -> None:
        self.options = options
        self.run_id = secrets.token_hex(5)
        self.namespace = f"rehearse-{label}-{self.run_id}"
        self.scratch = Path(tempfile.mkdtemp(prefix=f"rehearse-{label}-{self.run_id}-"))
        self.db_name = f"rehearse_{label.replace('-', '_')}_{self.run_id}"
        self.redis_server = RedisServer(self.scratch) if options.dedicated_redis else None
        self.proxy = PgProxy() if options.db_proxy else None
        self.nginx: Nginx | None = None
        self.procs: dict[str, Proc] = {}
        self.web_ports: dict[str, int] = {}
        self._admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.db: Engine | None = None  # direct, for assertions: never through the proxy
        self.redis: redis.Redis | None = None
        self.docker_host = ""
        self.jwt_secret = secrets.token_urlsafe(48)  # shared by every web process, known to the client
        self._broker: RedisBroker | None = None

    # --- set-up ------------------------------------------------------------------------------

    @property
    def redis_url(self) -> str:
        return self.redis_server.url if self.redis_server else SHARED_REDIS_URL

    @property
    def redis_port(self) -> int:
        return self.redis_server.port if self.redis_server else 6379

    def db_url(self, via_proxy: bool) -> str:
        url = make_url(PG_ADMIN_URL).set(database=self.db_name)
        if via_proxy and self.proxy:
            url = url.set(port=self.proxy.port)
        return url.render_as_string(hide_password=False)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("REHEARSE_", "dramatiq_", "DOCKER_HOST"))
        }
        return {
            **inherited,
            "PATH": f"{BIN}:{inherited.get('PATH', '/usr/bin:/bin')}",
            "PYTHONUNBUFFERED": "1",
            "TMPDIR": str(self.scratch / "tmp"),  # what the processes leave there goes with the run
            "REHEARSE_ENVIRONMENT": "development",
            "REHEARSE_DATABASE_URL": self.db_url(via_proxy=True),
            "REHEARSE_REDIS_URL": self.redis_url,
            "REHEARSE_NAMESPACE": self.namespace,
            "REHEARSE_VAR_DIR": str(self.scratch / "var"),
            "REHEARSE_JWT_SECRET": self.jwt_secret,
            "REHEARSE_FRONTEND_DIR": str(self.scratch / "no-frontend"),
            "REHEARSE_RATE_SESSION_STARTS": "1000000/hour",
            "REHEARSE_RATE_AUTH_ATTEMPTS": "1000000/minute",
            "REHEARSE_RATE_CODE_RUNS": "1000000/minute",
            "DOCKER_HOST": self.docker_host,
            **self.options.env,
            **(extra or {}),
        }

    def start(self) -> Cluster:
        (self.scratch / "tmp").mkdir()
        if self.options.execution:
            self.docker_host = docker_host()
        if self.redis_server:
            self.redis_server.start()
        if self.proxy:
            self.proxy.start()
        self._create_database()
        self.redis = redis.Redis.from_url(self.redis_url, socket_timeout=10)
        lines = procfile()
        for kind in ("web", "interviewer", "execution", "timers"):
            for n in range(1, getattr(self.options, kind) + 1):
                self._add(f"{kind}-{n}", lines[kind])
        for proc in self.procs.values():
            proc.start()
        self.nginx = Nginx(self.scratch, list(self.web_ports.values()))
        self.nginx.start()
        for name in self.procs:
            self.wait_ready(name)
        return self

    def _create_database(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.db_name}"'))
        direct = self.db_url(via_proxy=False)
        done = subprocess.run(
            [str(BIN / "alembic"), "upgrade", "head"],
            cwd=ROOT,
            env={**self.env(), "REHEARSE_DATABASE_URL": direct},
            capture_output=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"alembic upgrade head failed:\n{done.stderr.decode(errors='replace')}")
        self.db = create_engine(direct, pool_size=2, max_overflow=2)

    def _add(self, name: str, command: str) -> Proc:
        # honcho gives every process its own $PORT (a pool serves its metrics there).
        values = {"PORT": str(free_port())}
        if name.startswith("web"):
            self.web_ports[name] = free_port()
            values.update(REHEARSE_HOST="127.0.0.1", REHEARSE_PORT=str(self.web_ports[name]))
        argv = ["/bin/sh", "-c", command]
        self.procs[name] = proc = Proc(name, argv, self.env(values), self.scratch / f"{name}.log")
        return proc

    def wait_ready(self, name: str, timeout: float = 60.0) -> None:
        proc = self.procs[name]

        def ready() -> bool:
            if not proc.alive():
                raise RuntimeError(
                    f"{name} exited ({proc.popen.returncode if proc.popen else '?'}):\n{proc.tail()}"
                )
            if name in self.web_ports:
                return port_open(self.web_ports[name]) and self._healthy(self.web_ports[name])
            # Its consumers poll Redis as soon as the worker process runs (only they connect to it).
            return connections_to(proc.pids(), self.redis_port) > 0

        wait_until(ready, timeout, interval=0.1, what=f"{name} ready")

    def _healthy(self, port: int) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def restart(self, name: str) -> None:
        """What a supervisor does after a crash: the same command line again."""
        proc = self.procs[name]
        if proc.alive():
            proc.kill()
        proc.start()
        self.wait_ready(name)

    def heal(self) -> None:
        """Bring back anything a previous test killed (services first, then processes)."""
        if self.redis_server and not self.redis_server.proc.alive():
            self.redis_server.start()
        if self.proxy and self.proxy.mode != "up":
            self.proxy.restore()
        for name, proc in self.procs.items():
            if not proc.alive():
                self.restart(name)

    # --- the API, through nginx ------------------------------------------------------------

    @property
    def base(self) -> str:
        assert self.nginx is not None
        return self.nginx.base

    def http(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=f"http://{self.base}", timeout=timeout)

    def user(self, client: httpx.Client) -> str:
        """A new user's bearer token."""
        email, password = f"u-{secrets.token_hex(6)}@example.com", "correct horse battery"
        assert client.post("/auth/register", json={"email": email, "password": password}).status_code == 201
        answer = client.post("/auth/token", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token

    def started_session(self, client: httpx.Client, token: str, session_type: str = "behavioral") -> str:
        """A started session on a fixed question per type: a worker embeds a question's phrasings
        once per process, so the tests pay that once, not on every new question."""
        headers = auth(token)
        body = {"type": session_type, "question_id": QUESTIONS[session_type]}
        created = client.post("/sessions", json=body, headers=headers)
        assert created.status_code == 201, created.text
        session_id: str = created.json()["id"]
        started = client.patch(f"/sessions/{session_id}/start", headers=headers)
        assert started.status_code == 200, started.text
        return session_id

    def web_named(self, upstream: str | None) -> str:
        """The web process behind an `X-Upstream: 127.0.0.1:PORT` header."""
        assert upstream, "nginx did not say which web process answered"
        port = int(upstream.split(",")[-1].strip().rsplit(":", 1)[1])
        return next(name for name, p in self.web_ports.items() if p == port)

    def enqueue(self, job: Job) -> None:
        """Send a job to this deployment's pools, as the scheduler or a REPL does."""
        if self._broker is None:
            settings = Settings(redis_url=self.redis_url, namespace=self.namespace)
            self._broker = build_broker(settings)
        self._broker.enqueue(message_for(job))

    # --- looking inside --------------------------------------------------------------------

    def query(self, sql: str, **params: Any) -> list[Any]:
        assert self.db is not None
        with self.db.connect() as connection:
            return list(connection.execute(text(sql), params))

    def messages(self, session_id: str) -> list[tuple[int, str, str | None, str | None]]:
        """The session's messages as stored: (id, sender, client_id, turn_key), in order."""
        rows = self.query(
            "SELECT id, sender, client_id, turn_key FROM messages WHERE session_id = :s ORDER BY id",
            s=session_id,
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def stream(self, session_id: str) -> list[tuple[str, dict[str, str]]]:
        assert self.redis is not None
        entries = self.redis.xrange(f"{self.namespace}:session:{session_id}")
        return [(i.decode(), {k.decode(): v.decode() for k, v in f.items()}) for i, f in entries]

    def containers(self) -> list[dict[str, Any]]:
        """This run's sandbox containers (the execution pool labels them with the namespace)."""
        api = docker.APIClient(base_url=self.docker_host, version="1.41", timeout=30)
        try:
            wanted = [f"{SANDBOX_LABEL}=1", f"{NAMESPACE_LABEL}={self.namespace}"]
            found: list[dict[str, Any]] = api.containers(all=True, filters={"label": wanted})
            return found
        finally:
            api.close()

    def container_logs(self, container_id: str) -> bytes:
        api = docker.APIClient(base_url=self.docker_host, version="1.41", timeout=30)
        try:
            logs: bytes = api.logs(container_id)
            return logs
        except docker.errors.NotFound:
            return b""
        finally:
            api.close()

    def proc_with_pid(self, pid: int) -> str:
        return next(name for name, proc in self.procs.items() if pid in proc.pids())

    # --- tear-down ---------------------------------------------------------------------------

    def logs(self, lines: int = 30) -> str:
        parts = [f"--- {name} ---\n{proc.tail(lines)}" for name, proc in self.procs.items()]
        if self.nginx:
            parts.append(f"--- nginx error.log ---\n{self.nginx.error_log()[-2000:]}")
        return "\n".join(parts)

    def close(self, keep_logs: bool = False) -> None:
        try:
            for proc in self.procs.values():
                if proc.alive():
                    proc.kill(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in self.procs.values():
                if proc.popen is not None:
                    try:
                        proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        proc.kill()
            if self.nginx:
                self.nginx.stop()
            self._remove_containers()
        finally:
            if self.db is not None:
                self.db.dispose()
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
            self._admin.dispose()
            if self.proxy:
                self.proxy.close()
            if self._broker is not None:
                self._broker.close()
            self._drop_redis_keys()
            if self.redis_server:
                self.redis_server.stop()
            if keep_logs:
                print(f"process logs kept in {self.scratch}")
            else:
                shutil.rmtree(self.scratch, ignore_errors=True)

    def _remove_containers(self) -> None:
        if not self.docker_host:
            return
        api = docker.APIClient(base_url=self.docker_host, version="1.41", timeout=30)
        try:
            for container in self.containers():
                with contextlib.suppress(docker.errors.NotFound):
                    api.remove_container(container["Id"], force=True)
        finally:
            api.close()

    def _drop_redis_keys(self) -> None:
        if self.redis is None:
            return
        try:
            if not self.redis_server:
                keys = list(self.redis.scan_iter(match=f"{self.namespace}:*", count=1000))
                for start in range(0, len(keys), 500):
                    self.redis.delete(*keys[start : start + 500])
        except redis.RedisError:
            pass
        self.redis.close()
