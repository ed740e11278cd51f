"""`phrase_turn` against a real HTTP server: the model's words, or the engine's, within a second."""

from __future__ import annotations

import logging
import time

import pytest

from tests.workers.llm.openai_server import TOKENS, FakeOpenAI
from workers.llm.phrase import PhraseResult, phrase_turn
from workers.llm.provider import LLMProvider

MESSAGES = [{"role": "user", "content": "Ask about the approach."}]
FALLBACK = "Tell me about your approach."


def phrase(provider: LLMProvider | None) -> tuple[PhraseResult, list[str], float]:
    tokens: list[str] = []
    started = time.monotonic()
    result = phrase_turn(provider, MESSAGES, FALLBACK, tokens.append)
    return result, tokens, time.monotonic() - started


def at(server: FakeOpenAI, scenario: str) -> LLMProvider:
    return LLMProvider(server.base_url(scenario), "tiny-model", timeout_s=5)


def test_without_a_provider_the_rules_speak() -> None:
    result, tokens, _ = phrase(None)
    assert (result.text, result.source, result.fell_back, result.error) == (FALLBACK, "rules", False, None)
    assert tokens == []


def test_a_normal_stream_is_passed_on_token_by_token(llm_server: FakeOpenAI) -> None:
    result, tokens, _ = phrase(at(llm_server, "normal"))
    assert tokens == TOKENS
    assert (result.text, result.source, result.fell_back, result.error) == (
        "".join(TOKENS),
        "llm:tiny-model",
        False,
        None,
    )


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        ("broken", "broke"),
        ("no-done", "before [DONE]"),
        ("http500", "HTTP 500"),
        ("malformed", "malformed chunk"),
        ("empty", "empty answer"),
        ("long", "longer than 4000 characters"),
    ],
)
def test_a_failing_model_falls_back_with_a_warning(
    llm_server: FakeOpenAI, caplog: pytest.LogCaptureFixture, scenario: str, reason: str
) -> None:
    caplog.set_level(logging.WARNING, logger="rehearse.llm")
    result, _, elapsed = phrase(at(llm_server, scenario))
    assert (result.text, result.source, result.fell_back) == (FALLBACK, "rules", True)
    assert reason in (result.error or "")
    assert elapsed < 1.5
    [record] = [r for r in caplog.records if r.name == "rehearse.llm"]
    assert record.levelno == logging.WARNING and reason in record.getMessage()


def test_connection_refused_falls_back(dead_port: int) -> None:
    result, tokens, elapsed = phrase(LLMProvider(f"http://127.0.0.1:{dead_port}/v1", "m", timeout_s=5))
    assert (result.text, result.fell_back, tokens) == (FALLBACK, True, [])
    assert "cannot connect" in (result.error or "")
    assert elapsed < 1.5


@pytest.mark.parametrize("scenario", ["stall", "trickle"])
def test_no_first_token_falls_back_within_a_second(llm_server: FakeOpenAI, scenario: str) -> None:
    result, tokens, elapsed = phrase(at(llm_server, scenario))
    assert (result.text, result.fell_back, tokens) == (FALLBACK, True, [])
    assert result.error == "no first token within 1s"
    assert 0.9 < elapsed < 1.5


def test_a_stream_that_stalls_midway_falls_back_within_a_second(llm_server: FakeOpenAI) -> None:
    result, tokens, elapsed = phrase(at(llm_server, "mid-stall"))
    assert tokens == TOKENS[:2]  # a draft the client replaces with the final message
    assert (result.text, result.fell_back, result.error) == (FALLBACK, True, "stream stalled for 1s")
    assert elapsed < 1.5
