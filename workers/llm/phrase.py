"""Letting the model phrase a turn the deterministic engine already decided, or not.

The engine's text is always in hand before the model is asked, so any failure costs one warning
and the plain text, never a turn. Tokens already passed to `on_token` before a failure are a
draft: the final message (carrying `PhraseResult.text`) is what the client must keep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workers.llm.provider import ChatMessage, LLMProvider, ProviderError

log = logging.getLogger("rehearse.llm")

# Far beyond any interviewer turn (the engine's own are a few hundred characters), and the same
# cap a candidate's message has; past it the model is rambling or looping.
MAX_TURN_CHARS = 4000


@dataclass(frozen=True)
class PhraseResult:
    text: str
    source: str  # "rules" or "llm:<model>"
    fell_back: bool = False
    error: str | None = None


def phrase_turn(
    provider: LLMProvider | None,
    prompt_messages: Sequence[ChatMessage],
    fallback_text: str,
    on_token: Callable[[str], None],
    *,
    max_chars: int = MAX_TURN_CHARS,
) -> PhraseResult:
    """The model's wording of the turn, streamed through `on_token`; else `fallback_text`.

    An exception raised by `on_token` itself is the caller's and propagates.
    """
    if provider is None:
        return PhraseResult(fallback_text, "rules")
    parts: list[str] = []
    size = 0
    stream = provider.stream_chat(prompt_messages)
    try:
        for delta in stream:
            size += len(delta)
            if size > max_chars:
                raise ProviderError(f"answer longer than {max_chars} characters")
            parts.append(delta)
            on_token(delta)
    except ProviderError as exc:
        return _fall_back(provider, fallback_text, exc.reason)
    finally:
        stream.close()  # stops the reader thread now, not when the generator is collected
    text = "".join(parts).strip()
    if not text:
        return _fall_back(provider, fallback_text, "empty answer")
    return PhraseResult(text, f"llm:{provider.model}")


def _fall_back(provider: LLMProvider, fallback_text: str, reason: str) -> PhraseResult:
    log.warning("LLM %s failed, using the rule-based text: %s", provider.model, reason)
    return PhraseResult(fallback_text, "rules", fell_back=True, error=reason)
