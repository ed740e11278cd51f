"""What the lifespan builds once per web process and every request reaches through `request.state`."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis
from starlette.requests import HTTPConnection

from api.metrics import WebMetrics
from api.ratelimit import RateLimits
from api.security import TokenService
from config import Settings
from models.runtime import Runtime


@dataclass
class AppState:
    settings: Settings
    runtime: Runtime
    tokens: TokenService
    limits: RateLimits
    relay_redis: aioredis.Redis  # no socket timeout: it serves blocking XREADs
    metrics: WebMetrics


def state_of(conn: HTTPConnection) -> AppState:
    state: AppState = conn.state.rehearse
    return state


def runtime_of(conn: HTTPConnection) -> Runtime:
    return state_of(conn).runtime


def user_id_of(conn: HTTPConnection) -> str:
    user_id: str = conn.user.id
    return user_id
