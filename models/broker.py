"""The Dramatiq broker, configured once for the web tier and every pool.

Importing this module sets the global broker; each pool's `tasks.py` imports it before declaring
actors, so there is no import-order magic. The web tier only enqueues by actor name.
"""

from __future__ import annotations

from typing import Any

import dramatiq
import redis
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from dramatiq.results import Results
from dramatiq.results.backends.redis import RedisBackend

from config import Settings, get_settings
from models.jobs import Job


def build_broker(settings: Settings) -> RedisBroker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.redis_url,
        namespace=f"{settings.namespace}:dramatiq",
        # A killed worker's unacknowledged messages are requeued after this long.
        heartbeat_timeout=settings.worker_heartbeat_timeout_ms,
    )
    # Results let a caller (the code-run endpoint, the scorer) wait for a verdict by message id.
    # Waiting for a result is a blocking BLPOP of up to ~20 s: redis-py's default 5 s socket
    # timeout would cut it short, so this client's timeout is longer than any wait.
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=120, health_check_interval=30)
    backend = RedisBackend(client=client, namespace=f"{settings.namespace}:results")  # type: ignore[no-untyped-call]
    broker.add_middleware(Results(backend=backend, result_ttl=600_000))  # type: ignore[no-untyped-call]
    broker.add_middleware(CurrentMessage())
    return broker


broker = build_broker(get_settings())
dramatiq.set_broker(broker)


def message_for(job: Job, *, store_result: bool = False) -> Message[Any]:
    options: dict[str, Any] = {"store_results": True} if store_result else {}
    return Message(
        queue_name=job.queue.value,
        actor_name=job.actor_name,
        args=(),
        kwargs=job.model_dump(mode="json"),
        options=options,
    )


def enqueue(job: Job, *, delay_ms: int | None = None, store_result: bool = False) -> Message[Any]:
    """Send a job by actor name; call it only after the transaction that justifies it committed."""
    return broker.enqueue(message_for(job, store_result=store_result), delay=delay_ms)


def wait_result(message: Message[Any], timeout_ms: int) -> Any:
    backend = broker.get_results_backend()
    return backend.get_result(message, block=True, timeout=timeout_ms)
