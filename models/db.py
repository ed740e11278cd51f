"""Engine, sessions and the unit of work shared by the web tier and every pool.

A request or a job is one transaction: services `flush()`, the edge commits, and side effects
(enqueueing jobs, writing stream events) are registered on the unit of work and run only after the
commit succeeded; a rollback drops them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which drops tzinfo) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


CONNECT_TIMEOUT_S = 2  # libpq's minimum


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # pool_pre_ping: after a PostgreSQL restart a stale pooled connection is replaced, not reused.
    # connect_timeout: while the server cannot be reached a request fails (503) after 2 s instead
    # of waiting out psycopg's default of 130 s on a connection nobody answers (a URL may set its own).
    connect_args = {} if "connect_timeout" in make_url(url).query else {"connect_timeout": CONNECT_TIMEOUT_S}
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=5, connect_args=connect_args
    )


def _sqlite_engine(url: str) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (the documented pysqlite recipe), WAL for concurrent
        # readers, and foreign keys on.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE: one writer at a time, so two workers never interleave one session's turn
        # (PostgreSQL gets the same guarantee from SELECT ... FOR UPDATE).
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class UnitOfWork:
    """A database session plus the side effects to run once it has committed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, effect: Callable[[], None]) -> None:
        self._after_commit.append(effect)

    def run_effects(self) -> None:
        effects, self._after_commit = self._after_commit, []
        for effect in effects:
            effect()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # SQLite's write lock is the whole database's (BEGIN IMMEDIATE), PostgreSQL's a row's.
        self.locks_whole_database = self.engine.dialect.name == "sqlite"
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        with self.sessions() as session:
            work = UnitOfWork(session)
            try:
                yield work
                session.commit()
            except BaseException:
                session.rollback()
                raise
        work.run_effects()

    def dispose(self) -> None:
        self.engine.dispose()
