"""The services around the product, owned by one test run: a dedicated Redis, a cuttable TCP path to
PostgreSQL, and nginx in front of the web tier. All on 127.0.0.1, all under one scratch directory.

The machine's shared Redis (6379) and PostgreSQL cluster are never restarted: a Redis restart is a
dedicated `redis-server` on its own port, and a PostgreSQL outage is this run's proxy refusing or
black-holing connections (what clients see when the server is down or unreachable).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import threading
from pathlib import Path

from tests.scale.processes import ROOT, Proc, free_port, port_open, wait_until


class RedisServer:
    """A redis-server of our own; `kill()` is a crash, `start()` brings it back on the same port.

    It writes an append-only file fsynced on every write, as a Redis that must survive a restart is
    configured; the queues and streams are back after a crash.
    """

    def __init__(self, scratch: Path) -> None:
        self.port = free_port()
        self.dir = scratch / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing (scripts/test.sh installs it)")
        argv = [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir)]
        argv += ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--maxclients", "20000"]
        self.proc = Proc("redis", argv, {"PATH": "/usr/bin:/bin"}, scratch / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc.start()
        wait_until(lambda: port_open(self.port), 10, what=f"redis-server on {self.port}")

    def kill(self) -> None:
        self.proc.kill()
        wait_until(lambda: not port_open(self.port), 5, what="redis-server gone")

    def stop(self) -> None:
        self.proc.stop()


class PgProxy:
    """A TCP forwarder to PostgreSQL that a test can cut: `refuse` (the port is closed, as when the
    server is down), `blackhole` (connections are accepted and never answered, as across a broken
    network) and `up`. Cutting drops every open connection, as a server restart does."""

    def __init__(self, target_port: int = 5432) -> None:
        self.port = free_port()
        self.target_port = target_port
        self.mode = "up"
        self.loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self.loop.run_forever, name="pg-proxy", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen())

    def close(self) -> None:
        if self._thread.is_alive():
            self._call(self._shut())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)

    def cut(self, mode: str) -> None:
        assert mode in ("refuse", "blackhole")
        self._call(self._set(mode))

    def restore(self) -> None:
        self._call(self._set("up"))

    def _call(self, coro) -> None:  # type: ignore[no-untyped-def]
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)

    async def _shut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _set(self, mode: str) -> None:
        await self._shut()
        self.mode = mode
        if mode != "refuse":
            await self._listen()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            if self.mode == "blackhole":
                while await reader.read(65536):  # swallow the startup packet, answer nothing
                    pass
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            self._open.add(up_writer)
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except OSError:
            pass
        finally:
            writer.transport.abort()
            self._open.discard(writer)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.transport.abort()
            self._open.discard(writer)


def nginx_binary() -> str:
    """scripts/nginx.sh ensure: Debian's nginx, installed with apt when missing."""
    done = subprocess.run(
        [str(ROOT / "scripts" / "nginx.sh"), "ensure"], capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/nginx.sh ensure failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


NGINX_CONF = """\
daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}
  upstream rehearse_web {{
{servers}
    keepalive 64;
    # Below uvicorn's 5 s keep-alive timeout: nginx must drop an idle connection before uvicorn
    # closes it, or a request sent into the closing connection is reset (a 502 for a POST).
    keepalive_timeout 4s;
  }}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    client_max_body_size 1m;
    location / {{
      proxy_pass http://rehearse_web;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_next_upstream error timeout;
      proxy_buffering off;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


class Nginx:
    """nginx round-robin over the web processes, WebSocket upgrades passed through.

    Every response names the web process that served it (`X-Upstream`), so a test can tell them
    apart. A dead upstream is skipped (`proxy_next_upstream error`) and retried after 2 s.
    """

    def __init__(self, scratch: Path, upstream_ports: list[int]) -> None:
        self.port = free_port()
        self.dir = scratch / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
            (self.dir / sub).chmod(0o777)  # nginx's workers drop to an unprivileged user under root
        servers = "\n".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in upstream_ports
        )
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.dir, servers=servers, port=self.port))
        argv = [nginx_binary(), "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "error.log")]
        self.proc = Proc("nginx", argv, {"PATH": "/usr/sbin:/usr/bin:/bin"}, scratch / "nginx.log")

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc.start()
        wait_until(lambda: port_open(self.port) or not self.proc.alive(), 10, what="nginx listening")
        if not self.proc.alive():
            raise RuntimeError(f"nginx did not start:\n{self.proc.tail()}\n{self.error_log()}")

    def stop(self) -> None:
        self.proc.stop()

    def error_log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.dir / "error.log").read_text(errors="replace")[-4000:]
        return ""
