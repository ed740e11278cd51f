from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, UTCDateTime, utcnow


class Sender(StrEnum):
    AI = "ai"
    USER = "user"


class MessageKind(StrEnum):
    CHAT = "chat"
    NUDGE = "nudge"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # A resent frame (same client_id) is stored once.
        UniqueConstraint("session_id", "client_id"),
        # An interviewer turn (e.g. "reply:42", "open", "nudge:57") is written once, however
        # often its job is delivered.
        UniqueConstraint("session_id", "turn_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(12), default=MessageKind.CHAT.value)
    text: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64))
    turn_key: Mapped[str | None] = mapped_column(String(64))
    # The bank question this message belongs to (a behavioral round asks several): what the
    # scorer groups the transcript by.
    question_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
