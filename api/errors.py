"""Every error is `{"error": "..."}` with the right status; nothing internal leaks to the client."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
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


async def database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable: %s", type(exc).__name__)
    return JSONResponse({"error": "the database is unavailable, try again shortly"}, status_code=503)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"error": "internal error"}, status_code=500)


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    ValidationError: validation_error,
    TransitionError: transition_error,
    OperationalError: database_unavailable,
    Exception: server_error,
}
