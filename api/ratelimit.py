"""Abuse limits on Redis storage, so every web process shares the same counters."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from api.errors import ApiError


class RateLimits:
    def __init__(self, redis_url: str, namespace: str) -> None:
        storage = RedisStorage(redis_url, key_prefix=f"{namespace}:limits")
        self._limiter = MovingWindowRateLimiter(storage)

    def hit(self, rule: str, *identifiers: str) -> None:
        """Count one hit; over the limit -> 429 with Retry-After."""
        item = parse(rule)
        if self._limiter.hit(item, *identifiers):
            return
        reset_at, _remaining = self._limiter.get_window_stats(item, *identifiers)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise ApiError(
            429, f"too many requests ({rule}); retry in {retry_after} s", {"Retry-After": str(retry_after)}
        )
