"""An interviewer turn phrased by an OpenAI-compatible LLM: tokens stream, one message is stored;
a broken provider falls back to the built-in wording within about a second."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from config import Settings
from models.interview_session import InterviewSession
from models.jobs import InterviewerTurn
from models.message import Message
from models.runtime import Runtime
from models.streams import stream_key
from tests.workers.interviewer.helpers import started_session, stored_user_message
from tests.workers.llm.openai_server import TOKENS, FakeOpenAI, running_fake_openai
from workers.interviewer import service


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


def _runtime(settings: Settings, base_url: str) -> Runtime:
    return Runtime(
        settings.model_copy(
            update={"llm_base_url": base_url, "llm_model": "test-model", "llm_first_token_timeout_s": 1.0}
        )
    )


def _events(rt: Runtime, session_id: str) -> list[tuple[str, str]]:
    entries = rt.redis.xrange(stream_key(rt.settings.namespace, session_id))
    return [(fields[b"type"].decode(), fields[b"data"].decode()) for _id, fields in entries]


def test_llm_phrases_the_turn_and_streams_tokens(client, make_user, settings, llm_server) -> None:  # type: ignore[no-untyped-def]
    session_id = started_session(client, {"Authorization": make_user()["Authorization"]})
    rt = _runtime(settings, llm_server.base_url("normal"))
    user_id = stored_user_message(rt, session_id, "I'd start by clarifying the requirements.")
    reply_id = service.take_turn(rt, InterviewerTurn(session_id=session_id, message_id=user_id))
    with rt.db.sessions() as db:
        reply = db.get(Message, reply_id)
        assert reply is not None and reply.text == "".join(TOKENS)
    deltas = [
        data for kind, data in _events(rt, session_id) if kind == "token" and f":reply:{user_id}" in data
    ]
    assert len(deltas) == len(TOKENS)
    sent = llm_server.requests[-1].body
    assert sent["stream"] is True and sent["model"] == "test-model"
    assert "clarifying the requirements" in sent["messages"][-1]["content"]  # the transcript, fenced
    assert (
        service.take_turn(rt, InterviewerTurn(session_id=session_id, message_id=user_id)) == reply_id
    )  # redelivery
    rt.close()


def test_broken_provider_falls_back_within_a_second(client, make_user, settings, llm_server) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = started_session(client, headers)
    time.sleep(0.5)  # let the pool's worker open the interview with the built-in wording
    client_reply = client.get(f"/sessions/{session_id}/messages", headers=headers).json()
    assert client_reply and client_reply[0]["sender"] == "ai"
    rt = _runtime(settings, llm_server.base_url("stall"))
    user_id = stored_user_message(rt, session_id, "Let's start with requirements.")
    started = time.monotonic()
    reply_id = service.take_turn(rt, InterviewerTurn(session_id=session_id, message_id=user_id))
    # The provider gives up after 1 s without a token; the rest is the turn's own database work,
    # which a loaded CI machine can stretch.
    assert time.monotonic() - started < 4.0
    with rt.db.sessions() as db:
        reply = db.get(Message, reply_id)
        assert reply is not None and reply.turn_key == f"reply:{user_id}" and reply.text
        assert "".join(TOKENS) not in reply.text
    rt.close()


def test_a_final_turn_decided_before_a_crash_still_ends_the_session(
    client, make_user, settings, llm_server
) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": make_user()["Authorization"]}
    session_id = started_session(client, headers)
    rt = _runtime(settings, llm_server.base_url("normal"))
    done_id = stored_user_message(rt, session_id, "done")
    service.take_turn(rt, InterviewerTurn(session_id=session_id, message_id=done_id))
    yes = InterviewerTurn(session_id=session_id, message_id=stored_user_message(rt, session_id, "yes"))
    decision = service._decide(rt, yes)  # the worker decided, then died before phrasing
    assert decision is not None and decision.reply.end_session
    assert client.get(f"/sessions/{session_id}", headers=headers).json()["status"] == "in_progress"
    assert service.take_turn(rt, yes) is not None  # the redelivered job
    assert client.get(f"/sessions/{session_id}", headers=headers).json()["status"] == "completed"
    rt.close()


def test_a_pending_reply_stored_as_bare_text_is_still_written(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    """Rows written before the end flag was kept hold the decided text alone."""
    session_id = started_session(client, {"Authorization": make_user()["Authorization"]})
    rt = Runtime(settings)
    job = InterviewerTurn(session_id=session_id, message_id=stored_user_message(rt, session_id, "hello"))
    with rt.db.unit_of_work() as work:
        session = work.session.get(InterviewSession, session_id)
        assert session is not None
        session.interviewer_state = {
            **session.interviewer_state,
            "pending": {job.turn_key: "Decided earlier."},
        }
    reply_id = service.take_turn(rt, job)
    with rt.db.sessions() as db:
        reply = db.get(Message, reply_id)
        assert reply is not None and reply.text == "Decided earlier."
        session = db.get(InterviewSession, session_id)
        assert session is not None and job.turn_key not in session.interviewer_state.get("pending", {})
    rt.close()
