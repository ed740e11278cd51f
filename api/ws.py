"""The WebSocket relay: client frames in, the session's Redis Stream out.

One `XREAD BLOCK` per socket on a connection without a socket timeout (redis-py's default 5 s
timeout would silently reconnect every blocked read); see docs/decisions/0003-stream-relay.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from api.chat import accept_user_message
from api.errors import ApiError
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
    relay = _Relay(websocket, session_id, user_id)
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

    async def send_text(self, text: str) -> None:
        async with self._send_lock:
            await self.websocket.send_text(text)

    async def send_error(self, message: str) -> None:
        # Errors are for this socket only; they are not part of the session's log.
        await self.send_text(json.dumps({"id": None, "type": "error", "data": {"message": message}}))

    async def pump(self, last_id: str) -> None:
        key = stream_key(self.state.settings.namespace, self.session_id)
        redis = self.state.relay_redis
        while True:
            batches: Any = await redis.xread({key: last_id}, block=_BLOCK_MS, count=200)
            for _key, entries in batches:
                for entry_id, fields in entries:
                    last_id = entry_id.decode()
                    decoded = {k.decode(): v.decode() for k, v in fields.items()}
                    await self.send_text(format_event(last_id, decoded))

    async def receive_frames(self) -> None:
        while True:
            try:
                raw = await self.websocket.receive_text()
            except WebSocketDisconnect:
                return
            except KeyError:  # a binary frame
                await self.send_error("frames must be JSON text")
                continue
            await self.handle_frame(raw)

    async def handle_frame(self, raw: str) -> None:
        try:
            frame = ClientMessageFrame.model_validate_json(raw)
        except ValidationError as exc:
            await self.send_error(f"malformed frame: {exc.errors()[0]['msg']}")
            return
        try:
            await run_in_threadpool(
                accept_user_message, self.state.runtime, self.session_id, self.user_id, frame
            )
        except ApiError as exc:
            await self.send_error(str(exc.detail))
        except TransitionError as exc:
            await self.send_error(str(exc))
