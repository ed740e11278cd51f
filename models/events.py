"""Stream events: what the pools write to `session:{id}` and the WebSocket relays verbatim.

The frontend's TypeScript types are generated from these models (`scripts/gen_event_types.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator


class EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageData(EventBase):
    id: int
    sender: Literal["ai", "user"]
    kind: Literal["chat", "nudge"] = "chat"
    text: str
    created_at: datetime
    client_id: str | None = None
    # For an AI message: the key its streamed `token` events carried, so a client can swap the draft.
    message_key: str | None = None


class MessageEvent(EventBase):
    type: Literal["message"] = "message"
    data: MessageData


class TokenData(EventBase):
    message_key: str
    delta: str


class TokenEvent(EventBase):
    type: Literal["token"] = "token"
    data: TokenData


class StatusData(EventBase):
    status: Literal["created", "in_progress", "completed", "expired"]
    deadline: datetime | None = None
    reason: str | None = None


class StatusEvent(EventBase):
    type: Literal["status"] = "status"
    data: StatusData


class CodeResultData(EventBase):
    id: int
    language: str
    status: Literal["pending", "ok", "error", "timeout", "memory_limit", "output_limit"]
    stdout: str
    stderr: str
    exit_code: int | None
    duration_ms: int | None
    truncated: bool


class CodeResultEvent(EventBase):
    type: Literal["code_result"] = "code_result"
    data: CodeResultData


class FeedbackReadyData(EventBase):
    session_id: str
    overall: int | None = None


class FeedbackReadyEvent(EventBase):
    type: Literal["feedback_ready"] = "feedback_ready"
    data: FeedbackReadyData


class NudgeEvent(EventBase):
    """A nudge is also a stored AI message; `data` is that message."""

    type: Literal["nudge"] = "nudge"
    data: MessageData


class ErrorData(EventBase):
    message: str


class ErrorEvent(EventBase):
    type: Literal["error"] = "error"
    data: ErrorData


Event = Annotated[
    MessageEvent | TokenEvent | StatusEvent | CodeResultEvent | FeedbackReadyEvent | NudgeEvent | ErrorEvent,
    Field(discriminator="type"),
]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


class ClientMessageFrame(BaseModel):
    """The one frame a client sends: a chat message, idempotent on `client_id`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    type: Literal["message"]
    text: str = Field(min_length=1)
    client_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")

    @field_validator("text")
    @classmethod
    def _no_nul(cls, text: str) -> str:
        # PostgreSQL stores no NUL in text; refused the same way on SQLite.
        if "\x00" in text:
            raise ValueError("text may not contain NUL characters")
        return text
