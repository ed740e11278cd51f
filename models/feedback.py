from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, UTCDateTime, utcnow

# A report that failed after Dramatiq's retries is asked for again by the timers sweep, this long
# after it failed, at most this often: a longer outage (the database, the sandbox engine) heals, a
# report that fails for good stops costing work.
FAILED_REPORT_RETRY_AFTER = timedelta(minutes=10)
FAILED_REPORT_RESENDS = 3


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), unique=True, index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | ready | failed
    scorer: Mapped[str | None] = mapped_column(String(80))
    overall: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ready, or failed
    resends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
