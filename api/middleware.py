"""Pure ASGI middleware: request ids, request logs and metrics, and the body size cap.

uvicorn runs with `--no-access-log` because its access line carries the query string, and a
WebSocket URL carries `?token=`; requests are logged here, by path and route template only.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.metrics import WebMetrics
from models.logs import log_context

log = logging.getLogger("rehearse.access")
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    """Tags the request with an id (the client's `X-Request-ID`, or a new one, echoed back) and its
    session, then logs and measures it by route template (`/sessions/{session_id}`)."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute], metrics: WebMetrics) -> None:
        self.app = app
        self.routes = routes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _CLIENT_REQUEST_ID.match(given) else uuid.uuid4().hex
        route, params = self._match(scope)
        with log_context(request=request_id, session=params.get("session_id")):
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
                return
            await self._http(scope, receive, send, request_id, route)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str, route: str) -> None:
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.request_seconds.labels(scope["method"], route, str(status)).observe(elapsed)
            log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={"route": route, "status": status, "duration_ms": round(elapsed * 1000, 1)},
            )

    def _match(self, scope: Scope) -> tuple[str, dict[str, str]]:
        """The route template and path parameters; a fixed label for anything unrouted, so a
        scanner's random paths cannot blow up the metric's cardinality."""
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match is not Match.NONE:
                template = "static" if isinstance(route, Mount) else getattr(route, "path", "other")
                params = {k: str(v) for k, v in child_scope.get("path_params", {}).items()}
                return template, params
        return "unmatched", {}


class BodySizeLimit:
    """Refuses a body over `max_bytes` with 413 before reading it: at once when Content-Length
    says so, otherwise as soon as the stream passes the cap. Each route may set a lower cap
    (`api.body.read_json`); this one bounds the routes that read a body some other way (forms)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ApiError(413, f"request body larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, capped_receive, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"request body larger than {self.max_bytes} bytes"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
