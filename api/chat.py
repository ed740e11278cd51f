"""A chat message from the candidate: stored once per client_id, echoed to the stream, answered by a job."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from api.errors import ApiError
from api.presenters import message_out
from models import lifecycle
from models.db import utcnow
from models.events import ClientMessageFrame, MessageData, MessageEvent
from models.interview_session import InterviewSession
from models.jobs import InterviewerTurn
from models.message import Message, Sender
from models.runtime import Runtime


def accept_user_message(rt: Runtime, session_id: str, user_id: str, frame: ClientMessageFrame) -> int:
    """Store the message (idempotent on client_id), then publish it and ask for a reply."""
    if len(frame.text) > rt.settings.message_max_chars:
        raise ApiError(413, f"message longer than {rt.settings.message_max_chars} characters")
    try:
        return _store(rt, session_id, user_id, frame)
    except IntegrityError:  # the same frame raced itself from two sockets: the first one won
        return _store(rt, session_id, user_id, frame)


def _store(rt: Runtime, session_id: str, user_id: str, frame: ClientMessageFrame) -> int:
    with rt.db.unit_of_work() as work:
        # A resent frame finds the message its first attempt stored.
        locked = lifecycle.lock_session_with_message(
            work.session, session_id, Message.client_id == frame.client_id
        )
        session: InterviewSession | None
        message: Message | None
        session, message = locked or (None, None)
        if session is None or session.user_id != user_id:
            raise ApiError(404, "no such session")
        if message is None:
            lifecycle.ensure_accepting_input(session, utcnow())
            message = Message(
                session_id=session_id,
                sender=Sender.USER.value,
                text=frame.text,
                client_id=frame.client_id,
                question_id=session.interviewer_state.get("current") or session.question_id,
            )
            work.session.add(message)
            work.session.flush()
        # A resent frame re-publishes and re-enqueues: both are idempotent, and this heals a crash
        # between the commit and the enqueue of the first attempt. Enqueue first: a process killed
        # between the two must not leave an echoed message (which the client never resends) without
        # its turn; the turn publishes this message before its reply (workers/interviewer/service.py).
        event = MessageEvent(data=MessageData.model_validate(message_out(message)))
        rt.enqueue_after_commit(work, InterviewerTurn(session_id=session_id, message_id=message.id))
        rt.publish_after_commit(work, session_id, event, dedupe_key=f"msg:{message.id}")
        return message.id
