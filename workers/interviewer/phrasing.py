"""Turning the engine's decided move into the words sent to the candidate.

Without an LLM the built-in wording is the reply. With one, the LLM rephrases the move, streaming
`token` events, and any provider failure falls back to the built-in wording (logged).
"""

from __future__ import annotations

from dataclasses import dataclass

from config import Settings
from models.events import TokenData, TokenEvent
from models.runtime import Runtime
from workers.analysis import diagram as diagrams
from workers.interviewer.context import Move, TurnContext
from workers.llm.phrase import phrase_turn
from workers.llm.prompts import interviewer_messages
from workers.llm.provider import ChatMessage, LLMProvider, provider_from_settings


@dataclass(frozen=True)
class PromptContext:
    """What the LLM may see: gathered while the session row is locked, used after it is released."""

    messages: list[ChatMessage]


def prompt_context(ctx: TurnContext, move: Move) -> PromptContext:
    progress = ctx.state.progress.get(ctx.question.id)
    code_verdict = f"{ctx.code.status}\n{ctx.code.stderr[-2000:]}" if ctx.code else None
    diagram = diagrams.describe(diagrams.summarise(ctx.diagram)) if ctx.diagram else None
    messages = interviewer_messages(
        move_kind=move.kind,
        move_text=move.text,
        question_title=ctx.question.title,
        question_prompt=ctx.question.prompt,
        rubric_points=[p.label for p in ctx.question.talking_points],
        transcript=ctx.transcript,
        code=ctx.code.code if ctx.code else None,
        code_verdict=code_verdict,
        diagram_summary=diagram,
        phase=progress.phase if progress else "",
        remaining_minutes=int(ctx.remaining_s // 60),
    )
    return PromptContext(messages)


_providers: dict[int, LLMProvider | None] = {}


def _provider(settings: Settings) -> LLMProvider | None:
    """One provider (one HTTP connection pool) per settings object, i.e. per worker process."""
    if id(settings) not in _providers:
        _providers[id(settings)] = provider_from_settings(settings)
    return _providers[id(settings)]


def phrase(rt: Runtime, session_id: str, turn_key: str, text: str, prompt: PromptContext | None) -> str:
    provider = _provider(rt.settings) if prompt is not None else None
    if provider is None or prompt is None:
        return text
    message_key = f"{session_id}:{turn_key}"

    def on_token(delta: str) -> None:
        rt.streams.publish(session_id, TokenEvent(data=TokenData(message_key=message_key, delta=delta)))

    return phrase_turn(provider, prompt.messages, text, on_token).text
