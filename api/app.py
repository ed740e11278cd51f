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

from api import auth, code, drawings, questions, sessions, ws
from api.errors import EXCEPTION_HANDLERS
from api.ratelimit import RateLimits
from api.security import BearerTokenBackend, TokenService
from api.state import AppState, runtime_of
from config import Settings, get_settings
from models.runtime import Runtime

log = logging.getLogger("rehearse.api")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        runtime = Runtime(settings)
        relay_redis = aioredis.Redis.from_url(
            settings.redis_url, socket_timeout=None, health_check_interval=30
        )
        state = AppState(
            settings=settings,
            runtime=runtime,
            tokens=TokenService(settings.jwt_key(), settings.jwt_ttl_seconds),
            limits=RateLimits(settings.redis_url, settings.namespace),
            relay_redis=relay_redis,
        )
        try:
            yield {"rehearse": state}
        finally:
            await relay_redis.aclose()
            runtime.close()

    return Starlette(
        routes=_routes(settings),
        middleware=[Middleware(AuthenticationMiddleware, backend=BearerTokenBackend())],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )


def _routes(settings: Settings) -> list[BaseRoute]:
    protected = [*questions.routes, *sessions.routes, *drawings.routes, *code.routes]
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        *auth.routes,
        *(_require_auth(route) for route in protected),
        WebSocketRoute("/ws/{session_id}", ws.session_socket),
    ]
    if settings.frontend_dir.is_dir():
        routes.append(Mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend"))
    return routes


def _require_auth(route: Route) -> Route:
    endpoint: Callable[..., Any] = requires("authenticated", status_code=401)(route.endpoint)
    return Route(route.path, endpoint, methods=sorted(route.methods or []), name=route.name)


async def healthz(request: Request) -> JSONResponse:
    runtime = runtime_of(request)

    def check() -> None:
        with runtime.db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        runtime.redis.ping()

    await run_in_threadpool(check)
    return JSONResponse({"status": "ok"})
