"""Reading a JSON body into a pydantic model: 413 when too large, 400 when not JSON, 422 when invalid."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from api.errors import ApiError

M = TypeVar("M", bound=BaseModel)

DEFAULT_MAX_BYTES = 256 * 1024


async def read_json(request: Request, max_bytes: int = DEFAULT_MAX_BYTES) -> object:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, f"request body larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, f"request body larger than {max_bytes} bytes")
    if not body:
        return {}
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"malformed JSON: {exc}") from None


async def parse(request: Request, model: type[M], max_bytes: int = DEFAULT_MAX_BYTES) -> M:
    data = await read_json(request, max_bytes)
    return model.model_validate(data)


def _reject_constant(name: str) -> object:
    # NaN and Infinity are not JSON; PostgreSQL's JSON type would refuse them later.
    raise ValueError(f"{name} is not valid JSON")
