"""Every error is `{"error": "..."}` with the right status; nothing internal leaks to the client."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from models.lifecycle import TransitionError

log = logging.getLogger("rehearse.api")


class ApiError(HTTPException):
    def __init__(self, status_code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)


def not_found(what: str = "not found") -> ApiError:
    return ApiError(404, what)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 401 and message in ("", "Unauthorized"):
        message = "authentication required"
    headers = exc.headers
    if exc.status_code == 405:  # Starlette names only the first route of the path
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return JSONResponse({"error": message}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method of every route on this path (`/sessions` is two routes, GET and POST)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route.methods
    return ", ".join(sorted(methods))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    problems = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()]
    return JSONResponse({"error": "; ".join(problems), "details": problems}, status_code=422)


async def transition_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=409)


def _unavailable(message: str) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handler(request: Request, exc: Exception) -> Response:
        log.warning("%s: %s", message, type(exc).__name__)
        return JSONResponse(
            {"error": f"{message}, try again shortly"}, status_code=503, headers={"Retry-After": "1"}
        )

    return handler


# The database does not answer, or every pooled connection stayed busy past the pool timeout.
database_unavailable = _unavailable("the database is unavailable")
# Rate limits, queues and streams live in Redis: without it nothing can be accepted safely.
redis_unavailable = _unavailable("a backing service is unavailable")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"error": "internal error"}, status_code=500)


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    ValidationError: validation_error,
    TransitionError: transition_error,
    OperationalError: database_unavailable,
    PoolTimeout: database_unavailable,
    RedisConnectionError: redis_unavailable,
    RedisTimeoutError: redis_unavailable,
    Exception: server_error,
}
