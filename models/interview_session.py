from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, UTCDateTime, utcnow


class SessionType(StrEnum):
    SYSTEM_DESIGN = "system_design"
    CODING = "coding"
    BEHAVIORAL = "behavioral"


class SessionStatus(StrEnum):
    CREATED = "created"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"

    @property
    def ended(self) -> bool:
        return self in (SessionStatus.COMPLETED, SessionStatus.EXPIRED)


class InterviewSession(Base):
    __tablename__ = "interview_sessions"
    __table_args__ = (
        # One active session per type per user, enforced by the database itself.
        Index(
            "uq_interview_sessions_one_active",
            "user_id",
            "type",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        Index("ix_interview_sessions_status_deadline", "status", "deadline"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.CREATED.value)
    level: Mapped[str] = mapped_column(String(10), default="senior")
    duration_minutes: Mapped[int]
    question_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    start_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    # The interviewer's conversation state: any worker can take any turn because it lives here.
    interviewer_state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @property
    def status_enum(self) -> SessionStatus:
        return SessionStatus(self.status)
