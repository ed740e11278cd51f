"""The built-in interviewer's turn as the pool runs it: one transaction, the trigger and any
earlier reply read with the row lock, the candidate's message and the reply published together,
each once, however often the job is delivered."""

from __future__ import annotations

import json
import time

from config import Settings
from models.events import MessageData, MessageEvent
from models.jobs import InterviewerTurn
from models.message import Message
from models.runtime import Runtime
from models.streams import stream_key
from tests.workers.interviewer.helpers import started_session, stored_user_message
from workers.interviewer import service


def _message_ids_on_stream(rt: Runtime, session_id: str) -> list[int]:
    entries = rt.redis.xrange(stream_key(rt.settings.namespace, session_id))
    return [json.loads(fields[b"data"])["id"] for _id, fields in entries if fields[b"type"] == b"message"]


def test_a_redelivered_turn_replies_once_and_publishes_each_message_once(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    session_id = started_session(client, {"Authorization": make_user()["Authorization"]})
    rt = Runtime(settings)
    user_id = stored_user_message(
        rt, session_id, "I would start with the read path and put a cache in front of it."
    )
    job = InterviewerTurn(session_id=session_id, message_id=user_id)
    reply_id = service.take_turn(rt, job)
    assert reply_id is not None
    assert service.take_turn(rt, job) == reply_id  # the same job, delivered again
    with rt.db.sessions() as db:
        replies = db.query(Message).filter_by(session_id=session_id, turn_key=job.turn_key).all()
        assert [m.id for m in replies] == [reply_id]
    on_stream = _message_ids_on_stream(rt, session_id)
    # The candidate's message (never published by a web process here) goes out before its reply.
    assert on_stream.count(user_id) == 1 and on_stream.count(reply_id) == 1
    assert on_stream.index(user_id) < on_stream.index(reply_id)
    rt.close()


def test_a_message_of_another_session_is_not_answered(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = started_session(client, headers)
    other_id = started_session(client, {"Authorization": make_user()["Authorization"]})
    rt = Runtime(settings)
    foreign = stored_user_message(rt, other_id, "This belongs to somebody else's interview.")
    job = InterviewerTurn(session_id=session_id, message_id=foreign)
    assert service.take_turn(rt, job) is None
    with rt.db.sessions() as db:
        assert db.query(Message).filter_by(turn_key=job.turn_key).count() == 0
    assert foreign not in _message_ids_on_stream(rt, session_id)
    rt.close()


def test_publish_all_appends_in_order_in_one_call_and_skips_published_keys(settings: Settings) -> None:
    rt = Runtime(settings)
    session_id = f"publish-all-{time.monotonic_ns()}"

    def event(message_id: int) -> MessageEvent:
        data = MessageData(
            id=message_id, sender="ai", text=f"m{message_id}", created_at="2026-12-02T00:00:00Z"
        )
        return MessageEvent(data=data)

    first = rt.streams.publish_all(session_id, [(event(1), "msg:1"), (event(2), None)])
    assert all(first) and first[0] < first[1]  # type: ignore[operator]
    again = rt.streams.publish_all(session_id, [(event(1), "msg:1"), (event(3), "msg:3")])
    assert again[0] is None and again[1] is not None
    assert _message_ids_on_stream(rt, session_id) == [1, 2, 3]
    assert rt.streams.publish_all(session_id, []) == []
    rt.redis.delete(stream_key(rt.settings.namespace, session_id))
    rt.close()
