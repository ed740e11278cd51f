"""`LLMProvider` against a real HTTP server: streaming, JSON answers, errors, the key."""

from __future__ import annotations

import logging
import re

import pytest
from pydantic import BaseModel

from config import Settings
from tests.workers.llm.openai_server import ECHOED_KEY_PREFIX, TOKENS, FakeOpenAI
from workers.llm.provider import LLMProvider, ProviderError, provider_from_settings

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
KEY = "sk-test-7f3a9c1e5b2d4f6a8c0e"


class Report(BaseModel):
    score: int
    evidence: list[str]


def provider(server: FakeOpenAI, scenario: str, **kwargs: object) -> LLMProvider:
    return LLMProvider(server.base_url(scenario), "test-model", timeout_s=5, **kwargs)  # type: ignore[arg-type]


def test_stream_yields_the_deltas_in_order_and_sends_the_request(llm_server: FakeOpenAI) -> None:
    assert list(provider(llm_server, "normal").stream_chat(MESSAGES)) == TOKENS
    request = llm_server.requests[-1]
    assert request.path == "/normal/v1/chat/completions"
    assert request.body == {"model": "test-model", "messages": MESSAGES, "stream": True}
    assert "authorization" not in {name.lower() for name in request.headers}  # no key configured: none sent


def test_the_key_goes_in_a_bearer_header_and_never_into_logs(
    llm_server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    assert "".join(provider(llm_server, "normal", api_key=KEY).stream_chat(MESSAGES))
    assert llm_server.requests[-1].headers["Authorization"] == f"Bearer {KEY}"
    with pytest.raises(ProviderError) as caught:  # a server that echoes the key back in its error body
        list(provider(llm_server, "http401", api_key=KEY).stream_chat(MESSAGES))
    assert caught.value.status == 401
    assert ECHOED_KEY_PREFIX + "[redacted]" in caught.value.reason
    assert KEY not in caught.value.reason
    assert KEY not in repr(provider(llm_server, "normal", api_key=KEY))
    assert KEY not in caplog.text


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        ("broken", "broke"),
        ("no-done", "before [DONE]"),
        ("http500", "HTTP 500: "),
        ("malformed", "malformed chunk"),
        ("error-event", "out of memory"),
    ],
)
def test_every_failure_is_one_provider_error(llm_server: FakeOpenAI, scenario: str, reason: str) -> None:
    with pytest.raises(ProviderError, match=re.escape(reason)):
        list(provider(llm_server, scenario).stream_chat(MESSAGES))


def test_connection_refused_is_a_provider_error(dead_port: int) -> None:
    dead = LLMProvider(f"http://127.0.0.1:{dead_port}/v1", "test-model", timeout_s=5)
    with pytest.raises(ProviderError, match=re.escape("cannot connect to 127.0.0.1")):
        list(dead.stream_chat(MESSAGES))


def test_a_stream_slower_than_the_total_limit_fails(llm_server: FakeOpenAI) -> None:
    slow = LLMProvider(llm_server.base_url("normal"), "m", timeout_s=0.05, first_token_timeout_s=5)
    with pytest.raises(ProviderError, match=re.escape("longer than 0.05s")):
        list(slow.stream_chat(MESSAGES))


def test_complete_json_returns_the_validated_model(llm_server: FakeOpenAI) -> None:
    report = provider(llm_server, "json-valid").complete_json(MESSAGES, Report)
    assert report == Report(score=3, evidence=["I would shard by user id"])
    sent = llm_server.requests[-1].body["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["schema"] == Report.model_json_schema()


def test_complete_json_accepts_an_answer_in_a_markdown_fence(llm_server: FakeOpenAI) -> None:
    assert provider(llm_server, "json-fenced").complete_json(MESSAGES, Report).score == 3


@pytest.mark.parametrize("scenario", ["json-invalid", "json-not-json"])
def test_complete_json_rejects_an_answer_off_the_schema(llm_server: FakeOpenAI, scenario: str) -> None:
    with pytest.raises(ProviderError, match="invalid JSON answer"):
        provider(llm_server, scenario).complete_json(MESSAGES, Report)


def test_complete_json_steps_down_to_json_object_and_remembers(llm_server: FakeOpenAI) -> None:
    model = provider(llm_server, "json-schema-refused")
    assert model.complete_json(MESSAGES, Report).score == 3
    assert [r.body["response_format"]["type"] for r in llm_server.requests[-2:]] == [
        "json_schema",
        "json_object",
    ]
    before = len(llm_server.requests)
    assert model.complete_json(MESSAGES, Report).score == 3
    assert [r.body["response_format"]["type"] for r in llm_server.requests[before:]] == ["json_object"]


def test_complete_json_does_not_blame_the_json_mode_for_other_400s(llm_server: FakeOpenAI) -> None:
    before = len(llm_server.requests)
    with pytest.raises(ProviderError, match="HTTP 400"):
        provider(llm_server, "context-too-long").complete_json(MESSAGES, Report)
    assert len(llm_server.requests) == before + 1


def test_provider_from_settings_only_when_configured() -> None:
    assert provider_from_settings(Settings(llm_base_url=None, llm_model=None)) is None
    assert provider_from_settings(Settings(llm_base_url="http://127.0.0.1:11434/v1", llm_model=None)) is None
    built = provider_from_settings(
        Settings(
            llm_base_url="http://127.0.0.1:11434/v1/", llm_model="llama3.2", llm_api_key=KEY, llm_timeout_s=7
        )
    )
    assert built is not None
    assert (built.base_url, built.model, built.timeout_s, built.first_token_timeout_s) == (
        "http://127.0.0.1:11434/v1",
        "llama3.2",
        7,
        1.0,
    )
    assert built._headers() == {"Authorization": f"Bearer {KEY}"}
