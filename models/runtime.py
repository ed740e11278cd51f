"""The handles a process uses to reach the others: the database, the streams, the queues.

The web tier builds one in its lifespan; a worker process builds one lazily on its first job.
Importing `models.tables` puts every table on the metadata in every process: a worker imports only
the tables its jobs touch, and without `users` the foreign key interview_sessions.user_id cannot
resolve, so SQLAlchemy fails the first flush that updates a session ("could not find table 'users'").
"""

from __future__ import annotations

from functools import cache
from typing import Any

import redis
from dramatiq import Message

from config import Settings, get_settings
from models import broker, tables  # noqa: F401  (tables: see the docstring)
from models.db import Database, UnitOfWork
from models.events import EventBase
from models.jobs import Job
from models.streams import StreamPublisher


def void(_result: object) -> None:
    """Effects return nothing; this drops a publish's or an enqueue's return value."""


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.resolved_database_url)
        self.redis = redis.Redis.from_url(settings.redis_url, health_check_interval=30)
        self.streams = StreamPublisher(self.redis, settings.namespace, settings.stream_maxlen)

    def publish_after_commit(
        self, work: UnitOfWork, session_id: str, event: EventBase, dedupe_key: str | None = None
    ) -> None:
        self.publish_all_after_commit(work, session_id, [(event, dedupe_key)])

    def publish_all_after_commit(
        self, work: UnitOfWork, session_id: str, events: list[tuple[EventBase, str | None]]
    ) -> None:
        """Several events, in order, in one round trip to Redis once the transaction committed."""
        work.after_commit(lambda: void(self.streams.publish_all(session_id, events)))

    def enqueue_after_commit(self, work: UnitOfWork, job: Job, delay_ms: int | None = None) -> None:
        work.after_commit(lambda: void(self.enqueue(job, delay_ms)))

    def enqueue(self, job: Job, delay_ms: int | None = None, store_result: bool = False) -> Message[Any]:
        return broker.enqueue(job, delay_ms=delay_ms, store_result=store_result)

    def wait_result(self, message: Message[Any], timeout_ms: int) -> Any:
        return broker.wait_result(message, timeout_ms)

    def close(self) -> None:
        self.db.dispose()
        self.redis.close()


@cache
def worker_runtime() -> Runtime:
    """One runtime per worker process (the pools' threads share its pools)."""
    return Runtime(get_settings())
