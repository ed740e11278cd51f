"""The Dramatiq broker, configured once for the web tier and every pool.

Importing this module sets the global broker; each pool's `tasks.py` imports it before declaring
actors, so there is no import-order magic. The web tier only enqueues by actor name.
"""

from __future__ import annotations

from typing import Any

import dramatiq
import redis
from dramatiq import Message
from dramatiq.broker import MessageProxy
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from dramatiq.results import Results
from dramatiq.results.backends.redis import RedisBackend

from config import Settings, get_settings
from models import logs
from models.jobs import Job, Queue

MAINTENANCE_CHANCE = 10_000


def build_broker(settings: Settings) -> RedisBroker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.redis_url,
        namespace=f"{settings.namespace}:dramatiq",
        # A killed worker's unacknowledged messages are requeued after this long...
        heartbeat_timeout=settings.worker_heartbeat_timeout_ms,
        # ...by the "maintenance" a broker command runs with this chance per million. Dramatiq's
        # 1,000 made a consumer polling every 10 ms requeue ~10 s (every 100 ms: ~100 s) after the
        # timeout on average; 10,000 makes it ~1 s (~10 s). Without dead workers it costs two
        # ZRANGEBYSCOREs.
        maintenance_chance=MAINTENANCE_CHANCE,
    )
    # Results let a caller (the code-run endpoint, the scorer) wait for a verdict by message id.
    # Waiting for a result is a blocking BLPOP of up to ~20 s: redis-py's default 5 s socket
    # timeout would cut it short, so this client's timeout is longer than any wait.
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=120, health_check_interval=30)
    backend = RedisBackend(client=client, namespace=f"{settings.namespace}:results")  # type: ignore[no-untyped-call]
    broker.add_middleware(Results(backend=backend, result_ttl=600_000))  # type: ignore[no-untyped-call]
    broker.add_middleware(CurrentMessage())
    broker.add_middleware(LogContext())
    if settings.worker_metrics:
        # Serves every worker process's numbers from one forked HTTP server per `dramatiq`
        # command (queue, actor: processed, errors, retries, dead-lettered, in progress, duration).
        from dramatiq.middleware.prometheus import Prometheus

        broker.add_middleware(Prometheus())
    return broker


class LogContext(dramatiq.Middleware):
    """A job's log records carry its session and the request that sent it; a worker process that
    the `dramatiq` command started logs JSON lines (`models/logs.py`)."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        logs.configure_logging(reuse_handlers=True)

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        logs.request_id.set(message.options.get("request_id") or message.message_id)
        session_id = message.kwargs.get("session_id")
        logs.session_id.set(session_id if isinstance(session_id, str) else None)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        self.after_skip_message(broker, message)

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        logs.request_id.set(None)
        logs.session_id.set(None)


broker = build_broker(get_settings())
dramatiq.set_broker(broker)


def message_for(job: Job, *, store_result: bool = False) -> Message[Any]:
    options: dict[str, Any] = {"store_results": True} if store_result else {}
    request_id = logs.request_id.get()
    if request_id is not None:  # the worker's log lines name the request that caused the job
        options["request_id"] = request_id
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


def queue_depths() -> dict[tuple[str, str], int]:
    """Messages per (queue, state), read from Dramatiq's own Redis keys: `ready` waits for a
    worker, `delayed` has an ETA ahead (a session's expiry waits there), `dead` was dead-lettered."""
    pipe = broker.client.pipeline(transaction=False)
    for queue in Queue:
        key = f"{broker.namespace}:{queue.value}"
        pipe.llen(key)
        pipe.hlen(f"{key}.DQ.msgs")
        pipe.hlen(f"{key}.XQ.msgs")
    counts = iter(pipe.execute())
    return {
        (queue.value, state): int(next(counts)) for queue in Queue for state in ("ready", "delayed", "dead")
    }


def wait_result(message: Message[Any], timeout_ms: int) -> Any:
    backend = broker.get_results_backend()
    return backend.get_result(message, block=True, timeout=timeout_ms)


def worker_id() -> str:
    """This process's id among Dramatiq's workers (its broker id): what its heartbeats carry."""
    return str(broker.broker_id)


def worker_silent_ms(worker: str, now_ms: float) -> float | None:
    """How long worker process `worker` has not polled Redis; None when Redis does not know it.

    Dramatiq's Redis broker keeps every process's last poll in `{namespace}:__heartbeats__` and
    requeues the unacknowledged messages of one silent for longer than the heartbeat timeout, then
    forgets it: the same test tells what else the dead process left behind (its sandbox containers).
    """
    seen: float | None = broker.client.zscore(f"{broker.namespace}:__heartbeats__", worker)  # type: ignore[assignment]
    return None if seen is None else now_ms - seen
