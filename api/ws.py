"""The WebSocket relay: client frames in, the session's Redis Stream out.

One `XREAD BLOCK` per socket on a connection without a socket timeout (redis-py's default 5 s
timeout would silently reconnect every blocked read); see docs/decisions/0003-stream-relay.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any

from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from api.chat import accept_user_message
from api.errors import ApiError
from api.sessions import is_session_id
from api.state import runtime_of, state_of
from models.events import ClientMessageFrame
from models.interview_session import InterviewSession
from models.lifecycle import TransitionError
from models.streams import format_event, stream_key

log = logging.getLogger("rehearse.ws")
_STREAM_ID = re.compile(r"^\d{1,20}(-\d{1,20})?$")
_BLOCK_MS = 20_000
CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
UNAVAILABLE = "the service is unavailable right now; send the message again shortly"
_RETRY_MIN_S, _RETRY_MAX_S = 0.2, 2.0


async def session_socket(websocket: WebSocket) -> None:
    session_id = websocket.path_params["session_id"]
    if not websocket.user.is_authenticated:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason="invalid or expired token")
        return
    user_id: str = websocket.user.id
    if not await run_in_threadpool(_owns, websocket, session_id, user_id):
        await websocket.close(code=CLOSE_NOT_FOUND, reason="no such session")
        return
    last_id = websocket.query_params.get("last_event_id") or "0-0"
    await websocket.accept()
    metrics = state_of(websocket).metrics
    metrics.websockets_open.inc()
    log.info("websocket open", extra={"route": "/ws/{session_id}"})
    try:
        await _serve(_Relay(websocket, session_id, user_id), last_id)
    finally:
        metrics.websockets_open.dec()
        log.info("websocket closed", extra={"route": "/ws/{session_id}"})


async def _serve(relay: _Relay, last_id: str) -> None:
    if not _STREAM_ID.match(last_id):
        await relay.send_error(f"last_event_id {last_id[:40]!r} is not a stream id; replaying from the start")
        last_id = "0-0"
    pump = asyncio.create_task(relay.pump(last_id))
    try:
        await relay.receive_frames()
    finally:
        pump.cancel()
        await asyncio.gather(pump, return_exceptions=True)


def _owns(websocket: WebSocket, session_id: str, user_id: str) -> bool:
    if not is_session_id(session_id):
        return False
    with runtime_of(websocket).db.sessions() as db:
        session = db.get(InterviewSession, session_id)
        return session is not None and session.user_id == user_id


class _Relay:
    def __init__(self, websocket: WebSocket, session_id: str, user_id: str) -> None:
        self.websocket = websocket
        self.session_id = session_id
        self.user_id = user_id
        self.state = state_of(websocket)
        self._send_lock = asyncio.Lock()
        # Events added before the socket opened are a replay: their age is not relay lag.
        self._live_after_ms = int(time.time() * 1000)

    async def send_text(self, text: str) -> None:
        async with self._send_lock:
            await self.websocket.send_text(text)

    async def send_error(self, message: str) -> None:
        # Errors are for this socket only; they are not part of the session's log.
        await self.send_text(json.dumps({"id": None, "type": "error", "data": {"message": message}}))

    async def pump(self, last_id: str) -> None:
        key = stream_key(self.state.settings.namespace, self.session_id)
        redis = self.state.relay_redis
        backoff = _RETRY_MIN_S
        while True:
            try:
                batches: Any = await redis.xread({key: last_id}, block=_BLOCK_MS, count=200)
            except REDIS_DOWN:
                # Redis is restarting: keep the socket and go on after the last event sent once it
                # is back (a pump that died here would leave the socket open and silent for good).
                if backoff == _RETRY_MIN_S:
                    log.warning("relay lost Redis; retrying", extra={"route": "/ws/{session_id}"})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _RETRY_MAX_S)
                continue
            backoff = _RETRY_MIN_S
            for _key, entries in batches:
                for entry_id, fields in entries:
                    last_id = entry_id.decode()
                    decoded = {k.decode(): v.decode() for k, v in fields.items()}
                    await self.send_text(format_event(last_id, decoded))
                    if int(last_id.partition("-")[0]) >= self._live_after_ms:
                        self.state.metrics.observe_relay(last_id)

    async def receive_frames(self) -> None:
        while True:
            try:
                raw = await self.websocket.receive_text()
            except WebSocketDisconnect:
                return
            except KeyError:  # a binary frame
                self.state.metrics.messages_received.labels("rejected").inc()
                await self.send_error("frames must be JSON text")
                continue
            await self.handle_frame(raw)

    async def handle_frame(self, raw: str) -> None:
        error = await self._accept(raw)
        self.state.metrics.messages_received.labels("rejected" if error else "accepted").inc()
        if error:
            await self.send_error(error)

    async def _accept(self, raw: str) -> str | None:
        """None when the frame was stored, else the error to send back."""
        try:
            frame = ClientMessageFrame.model_validate_json(raw)
        except ValidationError as exc:
            return f"malformed frame: {exc.errors()[0]['msg']}"
        try:
            await run_in_threadpool(
                accept_user_message, self.state.runtime, self.session_id, self.user_id, frame
            )
        except ApiError as exc:
            return str(exc.detail)
        except TransitionError as exc:
            return str(exc)
        except (OperationalError, *REDIS_DOWN):
            # Stored or not, the frame is safe to resend under its client_id: the socket stays open.
            log.warning("frame not taken: database or Redis unavailable", extra={"route": "/ws/{session_id}"})
            return UNAVAILABLE
        return None
