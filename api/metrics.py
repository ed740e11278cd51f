"""Prometheus metrics of one web process, served at `/metrics`.

Each web process keeps its own registry and serves its own numbers (one scrape target per process
or container; Prometheus sums them). One registry per app rather than the global default, so tests
can build many apps in one process. The pools' metrics come from Dramatiq's own Prometheus
middleware on a port of their own (`models/broker.py`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import redis
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from models.broker import queue_depths

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_LAG_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class WebMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        self.request_seconds = Histogram(
            "rehearse_http_request_duration_seconds",
            "HTTP request latency by route template and status.",
            ["method", "route", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.websockets_open = Gauge(
            "rehearse_websockets_open", "WebSockets open on this process.", registry=self.registry
        )
        self.relay_lag_seconds = Histogram(
            "rehearse_ws_relay_lag_seconds",
            "From an event's XADD (its stream id's timestamp) to its send on a socket; live events only.",
            buckets=_LAG_BUCKETS,
            registry=self.registry,
        )
        self.messages_received = Counter(
            "rehearse_ws_messages_received",
            "Frames received from clients, by outcome (accepted, or rejected with an error event).",
            ["outcome"],
            registry=self.registry,
        )
        self.registry.register(QueueDepth())

    def observe_relay(self, entry_id: str) -> None:
        """The lag of one relayed event; its id is `<milliseconds>-<sequence>` on Redis's clock."""
        added_ms = int(entry_id.partition("-")[0])
        self.relay_lag_seconds.observe(max(0.0, time.time() - added_ms / 1000))

    async def endpoint(self, request: Request) -> Response:
        """
        ---
        summary: Prometheus metrics of this web process
        security: []
        responses:
          "200":
            description: the text exposition format
            content:
              text/plain:
                schema: {type: string}
        """
        body = await run_in_threadpool(generate_latest, self.registry)  # the queue depths ask Redis
        return Response(body, media_type=CONTENT_TYPE_LATEST)


class QueueDepth(Collector):
    """The pools' queue depths, read from Redis at each scrape: every web process reports the same
    numbers (take the max across instances, not the sum)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "rehearse_queue_messages", "Messages in each Dramatiq queue, by state.", labels=["queue", "state"]
        )
        try:
            depths = queue_depths()
        except redis.RedisError:  # no numbers rather than a failed scrape
            return
        for (queue, state), count in depths.items():
            family.add_metric([queue, state], count)
        yield family
