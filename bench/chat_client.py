"""The chat benchmark's client side: one WebSocket session per interview, and the setup that
creates users and sessions straight through the product's own code and REST API."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import create_engine, func, insert, select
from websockets.asyncio.client import ClientConnection, connect

from api.security import TokenService, hash_password
from bench.answers import answer
from bench.common import Stack
from config import Settings
from models.db import utcnow
from models.interview_session import InterviewSession
from models.message import Message
from models.user import User

SESSION_TYPES = ("behavioral", "coding", "system_design")  # one active session per type per user

# --- one WebSocket session ------------------------------------------------------------------------


@dataclass
class Turn:
    client_id: str
    sent: float
    echo: float | None = None
    reply: float | None = None
    error: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    # When Redis appended the echo and the reply: their stream ids are Redis's clock in ms, moved
    # onto this client's perf_counter (same machine), so a reply's time can be split by stage.
    echo_added: float | None = None
    reply_added: float | None = None


def stream_time(event_id: str) -> float:
    """A stream id's millisecond timestamp on this process's perf_counter clock."""
    return int(event_id.split("-", 1)[0]) / 1000 - (time.time() - time.perf_counter())


class Chat:
    """One open session socket; its reader timestamps events the moment they arrive."""

    def __init__(self, session_id: str, token: str) -> None:
        self.session_id = session_id
        self.token = token
        self.ws: ClientConnection | None = None
        self.welcomed = asyncio.Event()
        self.got_event = False
        self.pending: Turn | None = None
        self.unanswered = 0  # echoes of our messages minus interviewer replies seen since the welcome
        self.reader: asyncio.Task[None] | None = None
        self.closed = False

    async def open(self, base: str, timeout_s: float) -> None:
        self.ws = await connect(
            f"ws://{base}/ws/{self.session_id}?token={self.token}", open_timeout=timeout_s, ping_interval=None
        )
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self.welcomed.wait(), timeout_s)

    async def turn(self, timeout_s: float) -> Turn:
        assert self.ws is not None
        turn = Turn(client_id=uuid.uuid4().hex, sent=0.0)
        frame = json.dumps({"type": "message", "text": answer(), "client_id": turn.client_id})
        self.pending = turn
        turn.sent = time.perf_counter()
        try:
            await self.ws.send(frame)
            await asyncio.wait_for(turn.done.wait(), timeout_s)
        except TimeoutError:
            turn.error = "timeout"
        except Exception as exc:  # a closed socket
            turn.error = type(exc).__name__
        finally:
            self.pending = None
        return turn

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                self._on_event(time.perf_counter(), json.loads(raw))
        except Exception:
            pass
        finally:
            self.closed = True
            if self.pending is not None:
                self.pending.error = "socket closed"
                self.pending.done.set()

    def _on_event(self, at: float, event: dict[str, Any]) -> None:
        self.got_event = True
        kind, data = event.get("type"), event.get("data") or {}
        turn = self.pending
        if kind == "error":
            if turn is not None:
                turn.error = str(data.get("message"))[:80]
                turn.done.set()
            return
        if kind not in ("message", "token"):
            return
        if kind == "message" and data.get("sender") == "user":
            self.unanswered += 1
            if turn is not None and data.get("client_id") == turn.client_id:
                turn.echo, turn.echo_added = at, stream_time(event["id"])
            return
        if not self.welcomed.is_set():  # the interviewer's opening (its `token`s, if any, are skipped)
            if kind == "message":
                self.welcomed.set()
            return
        # Ours is the reply that answers the last message outstanding (a late reply to a timed-out
        # turn is not ours). A `token` streams a reply whose `message` comes after it.
        if kind == "message":
            self.unanswered -= 1
        ours = self.unanswered <= (1 if kind == "token" else 0)
        if turn is not None and turn.echo is not None and turn.reply is None and ours:
            turn.reply, turn.reply_added = at, stream_time(event["id"])
            turn.done.set()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


# --- setup ------------------------------------------------------------------------------------


def token_service(st: Stack) -> TokenService:
    """The product's own TokenService with the web process's settings (same secret, same TTL)."""
    settings = Settings(jwt_secret=st.jwt_secret, var_dir=st.scratch / "var")
    return TokenService(settings.jwt_key(), settings.jwt_ttl_seconds)


def session_types(base: str, token: str) -> tuple[str, ...]:
    """The session types whose question bank is not empty (a session of any other type cannot start)."""
    found = httpx.get(f"http://{base}/questions", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    found.raise_for_status()
    present = {q["type"] for q in found.json()}
    return tuple(t for t in SESSION_TYPES if t in present)


def create_users(st: Stack, count: int) -> list[str]:
    """Users straight into the database (argon2 once, not per user); tokens from the product's TokenService."""
    tokens = token_service(st)
    password_hash = hash_password("bench-password-never-used")
    ids = [str(uuid.uuid4()) for _ in range(count)]
    rows = [
        {
            "id": user_id,
            "email": f"bench-{i}-{st.run_id}@example.com",
            "password_hash": password_hash,
            "created_at": utcnow(),
        }
        for i, user_id in enumerate(ids)
    ]
    engine = create_engine(st.db_url)
    with engine.begin() as connection:
        connection.execute(insert(User), rows)
    engine.dispose()
    return [tokens.issue(user_id) for user_id in ids]


async def start_sessions(
    base: str, tokens: list[str], types: Sequence[str], count: int, concurrency: int = 16
) -> list[Chat]:
    """POST /sessions then PATCH /sessions/{id}/start for each, through the REST API."""
    jobs = [(tokens[i // len(types)], types[i % len(types)]) for i in range(count)]
    gate = asyncio.Semaphore(concurrency)

    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=30) as client:

        async def one(token: str, session_type: str) -> Chat:
            headers = {"Authorization": f"Bearer {token}"}
            async with gate:
                created = await client.post("/sessions", json={"type": session_type}, headers=headers)
                if created.status_code != 201:
                    raise RuntimeError(f"POST /sessions: {created.status_code} {created.text}")
                session_id = created.json()["id"]
                started = await client.patch(f"/sessions/{session_id}/start", headers=headers)
                if started.status_code != 200:
                    raise RuntimeError(f"PATCH start: {started.status_code} {started.text}")
            return Chat(session_id, token)

        return list(await asyncio.gather(*(one(token, kind) for token, kind in jobs)))


async def wait_for_openings(st: Stack, expected: int, stall_s: float) -> tuple[float, float]:
    """Wait until the interviewer has written every session's opening (the worker is then warm and
    idle); give up when none has been written for `stall_s`. Returns how long after the first session
    started the first and the last opening were written (from the rows' own timestamps)."""
    engine = create_engine(st.db_url)
    openings = select(func.count(), func.min(Message.created_at), func.max(Message.created_at)).where(
        Message.turn_key == "open"
    )
    first_start = select(func.min(InterviewSession.start_time))
    progressed, written = time.perf_counter(), 0
    try:
        while time.perf_counter() - progressed < stall_s:
            with engine.connect() as connection:
                count, first, last = connection.execute(openings).one()
                if count >= expected:
                    began = connection.execute(first_start).scalar_one()
                    assert began is not None and first is not None and last is not None
                    return (first - began).total_seconds(), (last - began).total_seconds()
            if count > written:
                written, progressed = count, time.perf_counter()
            st.check_alive()
            await asyncio.sleep(0.25)
    finally:
        engine.dispose()
    raise RuntimeError(
        f"the interviewer wrote {written} of {expected} openings, then none for {stall_s:.0f} s "
        "(see the interviewer log below)"
    )


async def drain(st: Stack, limit_s: float) -> float:
    """Wait until no message has been written for a second: the backlog of an overloaded step must
    not be measured as the next step's latency. Returns the seconds waited (limit_s if never quiet)."""
    engine = create_engine(st.db_url)
    query = select(func.count()).select_from(Message)
    started, last, quiet_since = time.perf_counter(), -1, time.perf_counter()
    try:
        while time.perf_counter() - started < limit_s:
            with engine.connect() as connection:
                count = connection.execute(query).scalar_one()
            if count != last:
                last, quiet_since = count, time.perf_counter()
            elif time.perf_counter() - quiet_since >= 1.0:
                return time.perf_counter() - started
            await asyncio.sleep(0.25)
    finally:
        engine.dispose()
    return limit_s


async def open_chats(base: str, chats: Sequence[Chat], timeout_s: float, concurrency: int = 64) -> list[Chat]:
    """Open each socket and wait for the interviewer's opening; returns those that failed."""
    gate = asyncio.Semaphore(concurrency)
    failed: list[Chat] = []

    async def one(chat: Chat) -> None:
        async with gate:
            try:
                await chat.open(base, timeout_s)
            except Exception:
                failed.append(chat)

    await asyncio.gather(*(one(chat) for chat in chats))
    return failed
