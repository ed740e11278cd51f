"""The front door: `create_app()` builds the Starlette app; clients live in lifespan state."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.authentication import requires
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from api import auth, code, drawings, feedback, questions, sessions, ws
from api.errors import EXCEPTION_HANDLERS
from api.metrics import WebMetrics
from api.middleware import BodySizeLimit, RequestContext
from api.openapi import openapi_endpoint
from api.ratelimit import RateLimits
from api.security import BearerTokenBackend, TokenService
from api.state import AppState, runtime_of
from config import Settings, get_settings
from models.bank import load_banks
from models.heap import freeze_startup_objects
from models.logs import configure_logging
from models.runtime import Runtime

log = logging.getLogger("rehearse.api")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging()
    metrics = WebMetrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        # Parse the question banks now (~0.2 s): a broken bank stops the deploy instead of failing
        # the first POST /sessions, and no request pays for the parse.
        await run_in_threadpool(load_banks)
        runtime = Runtime(settings)
        # One connection per open socket (each holds a blocking XREAD): the pool must not cap it
        # (redis-py 8 caps a pool at 100 by default, starving every socket past the hundredth).
        relay_redis = aioredis.Redis.from_url(
            settings.redis_url,
            socket_timeout=None,
            health_check_interval=30,
            max_connections=settings.relay_max_connections,
        )
        state = AppState(
            settings=settings,
            runtime=runtime,
            tokens=TokenService(settings.jwt_key(), settings.jwt_ttl_seconds),
            limits=RateLimits(settings.redis_url, settings.namespace),
            relay_redis=relay_redis,
            metrics=metrics,
        )
        freeze_startup_objects()
        try:
            yield {"rehearse": state}
        finally:
            await relay_redis.aclose()
            runtime.close()

    routes = _routes(settings, metrics)
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestContext, routes=routes, metrics=metrics),
            # The largest body any route takes is a drawing; each route caps its own lower.
            Middleware(BodySizeLimit, max_bytes=settings.drawing_max_bytes),
            Middleware(AuthenticationMiddleware, backend=BearerTokenBackend()),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )


def _routes(settings: Settings, metrics: WebMetrics) -> list[BaseRoute]:
    protected = [*questions.routes, *sessions.routes, *drawings.routes, *code.routes, *feedback.routes]
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/metrics", metrics.endpoint),
        *auth.routes,
        *(_require_auth(route) for route in protected),
        WebSocketRoute("/ws/{session_id}", ws.session_socket),
    ]
    routes.insert(0, Route("/openapi.json", openapi_endpoint(routes, settings)))
    if settings.frontend_dir.is_dir():
        routes.append(Mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend"))
    return routes


def _require_auth(route: Route) -> Route:
    endpoint: Callable[..., Any] = requires("authenticated", status_code=401)(route.endpoint)
    return Route(route.path, endpoint, methods=sorted(route.methods or []), name=route.name)


async def healthz(request: Request) -> JSONResponse:
    """
    ---
    summary: The database and Redis answer
    security: []
    responses:
      "200":
        description: healthy
        content:
          application/json:
            schema: {$ref: "#/components/schemas/HealthOut"}
      "503": error
    """
    runtime = runtime_of(request)

    def check() -> None:
        with runtime.db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        runtime.redis.ping()

    await run_in_threadpool(check)
    return JSONResponse({"status": "ok"})
