"""Interviewer turns: read the conversation from the database, decide, phrase, write one reply.

The costly part of a turn is embedding the candidate's sentences (a forward pass that releases
the GIL). On PostgreSQL it runs on a helper thread while the turn, holding the session's row lock,
loads the rest of its context; on SQLite, whose lock is the whole database's, it runs before the
lock is taken (`_embed_ahead`). Either way deciding then finds the vectors in the encoder's cache.

Without an LLM a turn is one short transaction: lock the session row (reading the triggering
message and any reply already written in the same statement), decide with the built-in engine,
write the reply, then publish the candidate's message and the reply in one Redis round trip.
With one, phrasing may take seconds, so the turn has two transactions:
1. lock the row, decide, save the decided move under the turn's key (`pending`);
2. phrase it (streaming `token` events), then write the message.
A redelivered job finds its pending move (or its message) and never decides twice; messages are
unique per (session_id, turn_key), so a retried job writes no second reply. Two turns of one
session never decide at once: deciding holds the row lock (SQLite: BEGIN IMMEDIATE).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from models import lifecycle
from models.db import UnitOfWork, utcnow
from models.events import EventBase, MessageData, MessageEvent, NudgeEvent
from models.interview_session import InterviewSession, SessionStatus
from models.jobs import InterviewerNudge, InterviewerTurn
from models.lifecycle import lock_session
from models.message import Message, MessageKind, Sender
from models.runtime import Runtime
from workers.analysis import coverage
from workers.interviewer import context_loader, engine, phrasing
from workers.interviewer.state import InterviewState, PendingReply

log = logging.getLogger("rehearse.interviewer")


@dataclass
class Decision:
    session_id: str
    turn_key: str
    reply: PendingReply
    prompt: phrasing.PromptContext | None


def take_turn(rt: Runtime, job: InterviewerTurn) -> int | None:
    """Write the interviewer's reply for this trigger; returns its message id (None: nothing to do)."""
    if not (rt.settings.llm_base_url and rt.settings.llm_model):
        return _decide_and_reply(rt, job)
    _embed_ahead(rt, job)
    decision = _decide(rt, job)
    if decision is None:
        return _republish_existing(rt, job)
    text = phrasing.phrase(rt, decision.session_id, decision.turn_key, decision.reply.text, decision.prompt)
    return _write_reply(rt, decision, text, job)


def _embed_ahead(rt: Runtime, job: InterviewerTurn) -> None:
    """Embed the candidate's message before taking the lock (a plain read, nothing held)."""
    if job.message_id is None:
        return
    with rt.db.sessions() as db:
        text = db.scalars(
            select(Message.text).where(Message.id == job.message_id, Message.session_id == job.session_id)
        ).first()
    if text:
        coverage.embed_units([text])


# Two, like the encoder's inference requests: more passes than that would only queue inside it.
_embedding_threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed")


def _decide_and_reply(rt: Runtime, job: InterviewerTurn) -> int | None:
    """The built-in interviewer's whole turn in one transaction."""
    if rt.db.locks_whole_database:
        _embed_ahead(rt, job)
    try:
        with rt.db.unit_of_work() as work:
            locked = _lock_turn(work, job)
            if locked is None or locked.session.status != SessionStatus.IN_PROGRESS:
                return None
            session, trigger = locked.session, locked.trigger
            if locked.reply_id is not None:  # a redelivered job: make sure its reply reached the stream
                done = work.session.get_one(Message, locked.reply_id)
                _publish_turn(rt, work, trigger, done)
                return done.id
            embedded = None
            if trigger is not None and not rt.db.locks_whole_database:
                embedded = _embedding_threads.submit(coverage.embed_units, [trigger.text])
            state = InterviewState.load(session.interviewer_state)
            reply = state.pending.pop(job.turn_key, None) or _decide_move(
                work, session, state, job, None, embedded
            )
            if reply is None:
                return None
            session.interviewer_state = state.dump()
            return _reply(rt, work, session, reply, reply.text, job, trigger).id
    except IntegrityError:  # another delivery of the same job wrote it first
        return None


@dataclass
class _LockedTurn:
    session: InterviewSession
    trigger: Message | None  # the candidate's message this turn answers
    reply_id: int | None  # this turn's reply, when an earlier delivery wrote it


def _lock_turn(work: UnitOfWork, job: InterviewerTurn) -> _LockedTurn | None:
    """Lock the session row and, in the same statement, read the triggering message and this
    turn's reply if one exists: one round trip instead of three on the reply's critical path."""
    written = aliased(Message)
    reply_id = (
        select(written.id)
        .where(written.session_id == job.session_id, written.turn_key == job.turn_key)
        .scalar_subquery()
    )
    row = lifecycle.lock_session_with_message(
        work.session, job.session_id, Message.id == job.message_id, reply_id
    )
    return None if row is None else _LockedTurn(*row)


def _decide(rt: Runtime, job: InterviewerTurn) -> Decision | None:
    turn_key = job.turn_key
    with rt.db.unit_of_work() as work:
        session = lock_session(work.session, job.session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS:
            return None
        if _message_with_key(work, session.id, turn_key) is not None:
            return None
        state = InterviewState.load(session.interviewer_state)
        if turn_key in state.pending:  # decided before a crash: phrase and write it now
            return Decision(session.id, turn_key, state.pending[turn_key], None)
        prompts: list[phrasing.PromptContext] = []
        reply = _decide_move(work, session, state, job, prompts)
        if reply is None:
            return None
        state.pending[turn_key] = reply
        session.interviewer_state = state.dump()
        return Decision(session.id, turn_key, reply, prompts[0])


def _decide_move(
    work: UnitOfWork,
    session: InterviewSession,
    state: InterviewState,
    job: InterviewerTurn,
    prompts: list[phrasing.PromptContext] | None,
    embedded: Future[None] | None = None,
) -> PendingReply | None:
    """Run the engine on the locked session's state; with `prompts`, also gather the LLM's context.
    `embedded`: the candidate's sentences being embedded meanwhile; deciding waits for them."""
    with_llm = prompts is not None
    ctx = context_loader.load(work, session, state, job, utcnow(), with_transcript=with_llm)
    if embedded is not None:
        embedded.result()
    if ctx is None:
        return None
    move = engine.decide(ctx)
    if prompts is not None:
        prompts.append(phrasing.prompt_context(ctx, move))
    return PendingReply(text=move.text, end_session=move.end_session)


def _write_reply(rt: Runtime, decision: Decision, text: str, job: InterviewerTurn) -> int | None:
    try:
        with rt.db.unit_of_work() as work:
            session = lock_session(work.session, decision.session_id)
            if session is None:
                return None
            state = InterviewState.load(session.interviewer_state)
            state.pending.pop(decision.turn_key, None)
            session.interviewer_state = state.dump()
            return _reply(rt, work, session, decision.reply, text, job, _trigger_of(work, job)).id
    except IntegrityError:  # another delivery of the same job wrote it first
        return None


def _reply(
    rt: Runtime,
    work: UnitOfWork,
    session: InterviewSession,
    reply: PendingReply,
    text: str,
    job: InterviewerTurn,
    trigger: Message | None,
) -> Message:
    """Store the reply, publish the trigger and the reply after commit, end the session if asked."""
    message = _add_ai_message(work, session, text, job.turn_key, MessageKind.CHAT)
    _publish_turn(rt, work, trigger, message)
    if reply.end_session and session.status == SessionStatus.IN_PROGRESS:
        lifecycle.end(rt, work, session, utcnow(), expired=False)
    return message


def _republish_existing(rt: Runtime, job: InterviewerTurn) -> int | None:
    """A redelivered job whose reply exists: make sure the reply reached the stream, nothing more."""
    with rt.db.unit_of_work() as work:
        done = _message_with_key(work, job.session_id, job.turn_key)
        if done is None:
            return None
        _publish_turn(rt, work, _trigger_of(work, job), done)
        return done.id


def _trigger_of(work: UnitOfWork, job: InterviewerTurn) -> Message | None:
    trigger = work.session.get(Message, job.message_id) if job.message_id is not None else None
    return trigger if trigger is not None and trigger.session_id == job.session_id else None


def _publish_turn(rt: Runtime, work: UnitOfWork, trigger: Message | None, reply: Message) -> None:
    """The candidate's message, then its reply. The web process enqueues the turn before it
    publishes the message and may die in between; when it did publish, the message is deduplicated."""
    messages = [trigger, reply] if trigger is not None else [reply]
    rt.publish_all_after_commit(work, reply.session_id, [_event_of(m) for m in messages])


def nudge(rt: Runtime, job: InterviewerNudge) -> int | None:
    """Nudge once if the interviewer's message `after_message_id` is still the last word."""
    turn_key = f"nudge:{job.after_message_id}"
    with rt.db.unit_of_work() as work:
        session = lock_session(work.session, job.session_id)
        if session is None or session.status != SessionStatus.IN_PROGRESS:
            return None
        last = work.session.scalars(
            select(Message).where(Message.session_id == session.id).order_by(Message.id.desc()).limit(1)
        ).first()
        if last is None or last.id != job.after_message_id or last.kind == MessageKind.NUDGE:
            return None
        if _message_with_key(work, session.id, turn_key) is not None:
            return None
        message = _add_ai_message(work, session, engine.NUDGE_TEXT, turn_key, MessageKind.NUDGE)
        _publish_turn(rt, work, None, message)
        return message.id


def _message_with_key(work: UnitOfWork, session_id: str, turn_key: str) -> Message | None:
    query = select(Message).where(Message.session_id == session_id, Message.turn_key == turn_key)
    return work.session.scalars(query).first()


def _add_ai_message(
    work: UnitOfWork, session: InterviewSession, text: str, turn_key: str, kind: MessageKind
) -> Message:
    question_id = session.interviewer_state.get("current") or session.question_id
    message = Message(
        session_id=session.id,
        sender=Sender.AI.value,
        text=text,
        turn_key=turn_key,
        kind=kind.value,
        question_id=question_id,
    )
    work.session.add(message)
    work.session.flush()
    return message


def _event_of(message: Message) -> tuple[EventBase, str]:
    """The stream event of a stored message, and its dedupe key."""
    data = MessageData(
        id=message.id,
        sender=message.sender,
        kind=message.kind,
        text=message.text,
        created_at=message.created_at,
        client_id=message.client_id,
        message_key=f"{message.session_id}:{message.turn_key}" if message.turn_key else None,
    )
    event = NudgeEvent(data=data) if message.kind == MessageKind.NUDGE else MessageEvent(data=data)
    return event, f"msg:{message.id}"
