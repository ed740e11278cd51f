"""Reading a JSON body into a pydantic model: 413 when too large, 400 when not JSON, 422 when invalid."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from api.errors import ApiError

M = TypeVar("M", bound=BaseModel)

DEFAULT_MAX_BYTES = 256 * 1024


def ensure_declared_size(request: Request, max_bytes: int) -> None:
    """413 at once when Content-Length says the body is over the cap, before reading any of it."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, f"request body larger than {max_bytes} bytes")


async def read_json(request: Request, max_bytes: int = DEFAULT_MAX_BYTES) -> object:
    ensure_declared_size(request, max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, f"request body larger than {max_bytes} bytes")
    if not body:
        return {}
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"malformed JSON: {exc}") from None
    if _has_nul(data):
        raise ApiError(422, "text may not contain NUL characters")
    return data


async def parse(request: Request, model: type[M], max_bytes: int = DEFAULT_MAX_BYTES) -> M:
    data = await read_json(request, max_bytes)
    return model.model_validate(data)


def _reject_constant(name: str) -> object:
    # NaN and Infinity are not JSON; PostgreSQL's JSON type would refuse them later.
    raise ValueError(f"{name} is not valid JSON")


def _has_nul(value: object) -> bool:
    """PostgreSQL stores no NUL in text or JSONB (SQLite would): refused the same on both engines."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False
