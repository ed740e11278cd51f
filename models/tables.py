"""Every ORM table, imported in one place so the metadata (and Alembic) sees them all."""

from models.code_submission import CodeSubmission, RunPurpose
from models.drawing import Drawing
from models.feedback import Feedback
from models.interview_session import InterviewSession, SessionStatus, SessionType
from models.message import Message, MessageKind, Sender
from models.user import User

__all__ = [
    "CodeSubmission",
    "Drawing",
    "Feedback",
    "InterviewSession",
    "Message",
    "MessageKind",
    "RunPurpose",
    "Sender",
    "SessionStatus",
    "SessionType",
    "User",
]
