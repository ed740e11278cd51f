"""A candidate's browser as the fault tests need it: one session's socket through nginx, and what
a careful client does when that socket dies: reconnect with `last_event_id`, and resend every
message it has not seen echoed, under the same `client_id` (the server stores it once).
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

Event = dict[str, Any]


class Disconnected(Exception):
    pass


class Candidate:
    def __init__(self, base: str, session_id: str, token: str) -> None:
        self.base = base
        self.session_id = session_id
        self.token = token
        self.ws: ClientConnection | None = None
        self.events: list[Event] = []  # the session's log as this client saw it, in order
        self.errors: list[Event] = []  # per-socket errors (id null), not part of the log
        self.unechoed: dict[str, str] = {}  # client_id -> text
        self.upstreams: list[str] = []  # nginx's X-Upstream of every connection
        self.connects = 0

    @property
    def last_id(self) -> str | None:
        return self.events[-1]["id"] if self.events else None

    def connect(self, timeout: float = 5.0) -> str:
        """Open the socket (resuming after the last event seen); returns the web process's address."""
        url = f"ws://{self.base}/ws/{self.session_id}?token={self.token}"
        if self.last_id:
            url += f"&last_event_id={self.last_id}"
        self.ws = connect(url, open_timeout=timeout, close_timeout=1, ping_interval=None, legacy=True)
        self.connects += 1
        upstream = self.ws.response.headers.get("X-Upstream", "") if self.ws.response else ""
        self.upstreams.append(upstream)
        return upstream

    def reconnect(self, timeout: float = 20.0) -> str:
        """Retry (bounded) until a web process takes the socket, then resend what was not echoed."""
        self.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                upstream = self.connect()
                break
            except (OSError, InvalidStatus, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.resend()
        return upstream

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    def say(self, text: str) -> str:
        client_id = uuid.uuid4().hex
        self.unechoed[client_id] = text
        self._send(client_id, text)
        return client_id

    def resend(self) -> None:
        for client_id, text in list(self.unechoed.items()):
            self._send(client_id, text)

    def _send(self, client_id: str, text: str) -> None:
        assert self.ws is not None
        # On a dead socket the reader finds out; the message stays unechoed and is resent.
        with contextlib.suppress(ConnectionClosed):
            self.ws.send(json.dumps({"type": "message", "text": text, "client_id": client_id}))

    def next(self, timeout: float) -> Event:
        """The next event or error; raises Disconnected when the socket dies."""
        assert self.ws is not None
        try:
            raw = self.ws.recv(timeout=timeout)
        except ConnectionClosed as exc:
            raise Disconnected(str(exc)) from exc
        event: Event = json.loads(raw)
        if event.get("id") is None:
            self.errors.append(event)
            return event
        self.events.append(event)
        data = event.get("data") or {}
        if event["type"] == "message" and data.get("sender") == "user":
            self.unechoed.pop(data.get("client_id"), None)
        return event

    def until(self, predicate: Callable[[Event], bool], timeout: float = 20.0) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching event within {timeout:.0f} s; last: {self.events[-3:]}")
            try:
                event = self.next(left)
            except TimeoutError:
                continue
            if predicate(event):
                return event

    def assert_quiet(self, seconds: float, kinds: tuple[str, ...] = ("message", "code_result")) -> None:
        """Nothing of these kinds arrives for `seconds` (e.g. no second reply)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.next(left)
            except TimeoutError:
                return
            assert event["type"] not in kinds, f"unexpected {event}"

    # --- what the tests look for -------------------------------------------------------------

    def echo_of(self, client_id: str) -> Event | None:
        return next((e for e in self.events if _is_user(e) and e["data"]["client_id"] == client_id), None)

    def replies_to(self, message_id: int) -> list[Event]:
        key = f"{self.session_id}:reply:{message_id}"
        return [e for e in self.events if _is_ai(e) and e["data"].get("message_key") == key]

    def wait_echo(self, client_id: str, timeout: float = 20.0) -> Event:
        found = self.echo_of(client_id)
        if found is None:
            found = self.until(lambda e: _is_user(e) and e["data"]["client_id"] == client_id, timeout)
        return found

    def wait_reply(self, message_id: int, timeout: float = 60.0) -> Event:
        key = f"{self.session_id}:reply:{message_id}"
        found = self.replies_to(message_id)
        if found:
            return found[0]
        return self.until(lambda e: _is_ai(e) and e["data"].get("message_key") == key, timeout)

    def opening(self, timeout: float = 60.0) -> Event:
        found = next((e for e in self.events if _is_ai(e)), None)
        return found or self.until(_is_ai, timeout)


def _is_user(event: Event) -> bool:
    return event["type"] == "message" and event["data"].get("sender") == "user"


def _is_ai(event: Event) -> bool:
    return event["type"] == "message" and event["data"].get("sender") == "ai"


def assert_consistent(
    candidate: Candidate, stream: list[tuple[str, dict[str, str]]], messages: list[Any]
) -> None:
    """No gap, no duplicate: the client saw exactly the session's log, and the log holds exactly the
    database's messages, each once (rows are (id, sender, client_id, turn_key))."""
    seen = [e["id"] for e in candidate.events]
    assert len(seen) == len(set(seen)), f"duplicate events: {seen}"
    assert seen == [entry_id for entry_id, _ in stream], "the client's events differ from the stream"
    logged = [
        json.loads(fields["data"])["id"] for _, fields in stream if fields["type"] in ("message", "nudge")
    ]
    assert sorted(logged) == sorted(row[0] for row in messages), (logged, messages)
    assert len(logged) == len(set(logged)), f"a message was published twice: {logged}"
    users = [row for row in messages if row[1] == "user"]
    assert len({row[2] for row in users}) == len(users), "a client_id was stored twice"
    replies = [row[3] for row in messages if row[1] == "ai" and row[3] and row[3].startswith("reply:")]
    assert len(replies) == len(set(replies)), f"two replies to one message: {replies}"
    assert sorted(replies) == sorted(f"reply:{row[0]}" for row in users), "a message has no reply"
