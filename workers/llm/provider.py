"""An optional OpenAI-compatible chat model, spoken to over `POST {base}/chat/completions`.

OpenAI, Ollama (`:11434/v1`), vLLM and llama.cpp's server all answer `stream: true` with SSE lines
`data: {chat.completion.chunk}` closed by `data: [DONE]`; that is the only protocol used here.

Why httpx + httpx-sse and not the official `openai` SDK: the SDK fills whatever it is not given
from `OPENAI_*` environment variables (API key, admin key, organisation, project, base URL, extra
headers), so an operator's OpenAI credentials could be sent to a self-hosted endpoint and the
one-settings-object rule would be broken; it refuses to start without a key (Ollama and llama.cpp
need none), retries by default, and ends a stream that breaks before `[DONE]` silently. httpx is
already ours, and httpx-sse (the SSE decoder the SDK itself started from) does the wire format, so
what is left here is timing and error mapping, which is the part we must own anyway.

Every failure surfaces as one `ProviderError`, so a caller has exactly one thing to catch before
falling back to the deterministic text.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from httpx_sse import SSEError, connect_sse
from pydantic import BaseModel, SecretStr, ValidationError

if TYPE_CHECKING:
    from config import Settings

ChatMessage = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}
ModelT = TypeVar("ModelT", bound=BaseModel)

_BODY_SNIPPET = 300
# JSON modes from the most to the least constrained; a server that answers 400/422 to one is
# asked again with the next (llama.cpp and older Ollama lack `json_schema`, some vLLM builds both).
_JSON_MODES = ("json_schema", "json_object", None)


class ProviderError(Exception):
    """Any failure of the model: unreachable, HTTP error, bad stream, too slow, invalid output."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class LLMProvider:
    """One OpenAI-compatible endpoint and model. Thread-safe; keep one per process and reuse it."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | SecretStr | None = None,
        timeout_s: float = 20.0,
        first_token_timeout_s: float = 1.0,
        stall_timeout_s: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout_s = timeout_s
        self.first_token_timeout_s = first_token_timeout_s
        # The longest silence between two tokens once the answer has started.
        self.stall_timeout_s = stall_timeout_s if stall_timeout_s is not None else first_token_timeout_s
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        self._api_key = SecretStr(key) if key else None
        self._json_mode_index = 0
        # Socket timeouts are only a backstop that lets an abandoned reader thread die; the deadlines
        # the caller sees are enforced in `_pull`, which a trickling server cannot stretch.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s))

    def __repr__(self) -> str:
        return f"LLMProvider(base_url={self.base_url!r}, model={self.model!r})"

    def close(self) -> None:
        self._client.close()

    def stream_chat(self, messages: Sequence[ChatMessage]) -> Generator[str, None, None]:
        """Yield the answer's text deltas as they arrive; raise `ProviderError` on any failure.

        Close the generator when abandoning it early: that tells the reader thread to hang up.
        """
        body = {"model": self.model, "messages": list(messages), "stream": True}
        return self._pull(body, self.first_token_timeout_s, self.stall_timeout_s)

    def complete_json(self, messages: Sequence[ChatMessage], schema: type[ModelT]) -> ModelT:
        """Ask for one JSON object matching `schema`, in the strictest JSON mode the server accepts.

        Collected from a stream so the same total deadline applies; no first-token limit, since a
        grading prompt is long and a local model may take a while to read it.
        """
        while True:
            mode = _JSON_MODES[self._json_mode_index]
            body: dict[str, Any] = {"model": self.model, "messages": list(messages), "stream": True}
            if mode is not None:
                body["response_format"] = _response_format(mode, schema)
            try:
                text = "".join(self._pull(body, self.timeout_s, self.timeout_s))
            except ProviderError as exc:
                if mode is not None and _refused_json_mode(exc):
                    self._json_mode_index += 1  # remembered: later calls skip the refused mode
                    continue
                raise
            return _validate(text, schema)

    def _pull(self, body: dict[str, Any], first_s: float, stall_s: float) -> Generator[str, None, None]:
        """Read the stream on a helper thread and hand deltas over under the three deadlines."""
        inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        stop = threading.Event()
        started = time.monotonic()
        reader = threading.Thread(target=self._read, args=(body, inbox, stop), name="llm-stream", daemon=True)
        reader.start()
        last_token: float | None = None
        try:
            while True:
                now = time.monotonic()
                total_left = started + self.timeout_s - now
                if last_token is None:
                    wait, why = started + first_s - now, f"no first token within {first_s:g}s"
                else:
                    wait, why = last_token + stall_s - now, f"stream stalled for {stall_s:g}s"
                if total_left <= wait:
                    wait, why = total_left, f"answer took longer than {self.timeout_s:g}s"
                try:
                    kind, value = inbox.get(timeout=max(wait, 0.0))
                except queue.Empty:
                    raise ProviderError(why) from None
                if kind == "error":
                    raise value
                if kind == "end":
                    return
                last_token = time.monotonic()
                yield value
        finally:
            stop.set()

    def _read(
        self, body: dict[str, Any], inbox: queue.SimpleQueue[tuple[str, Any]], stop: threading.Event
    ) -> None:
        try:
            for delta in self._deltas(body, stop):
                inbox.put(("delta", delta))
            inbox.put(("end", None))
        except ProviderError as exc:
            inbox.put(("error", ProviderError(self._redact(exc.reason), status=exc.status)))
        except Exception as exc:  # an unforeseen library error must still reach the caller as one type
            inbox.put(("error", ProviderError(self._redact(f"unexpected {type(exc).__name__}: {exc}"))))

    def _deltas(self, body: dict[str, Any], stop: threading.Event) -> Iterator[str]:
        url = f"{self.base_url}/chat/completions"
        try:
            with connect_sse(self._client, "POST", url, json=body, headers=self._headers()) as source:
                response = source.response
                if response.status_code >= 400:
                    detail = response.read().decode("utf-8", "replace")[:_BODY_SNIPPET]
                    raise ProviderError(f"HTTP {response.status_code}: {detail}", status=response.status_code)
                for event in source.iter_sse():
                    if stop.is_set():  # the caller gave up; leaving the block drops the connection
                        return
                    if event.data.strip() == "[DONE]":
                        return
                    yield from _chunk_text(event.data)
        except httpx.TimeoutException as exc:
            raise ProviderError(f"timed out talking to {_host(url)}: {type(exc).__name__}") from exc
        except httpx.ConnectError as exc:
            raise ProviderError(f"cannot connect to {_host(url)}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"connection to {_host(url)} broke: {type(exc).__name__}: {exc}") from exc
        except SSEError as exc:
            raise ProviderError(f"not an event stream: {exc}") from exc
        raise ProviderError("stream ended before [DONE]")

    def _headers(self) -> dict[str, str]:
        if self._api_key is None:
            return {}
        return {"Authorization": f"Bearer {self._api_key.get_secret_value()}"}

    def _redact(self, text: str) -> str:
        """Servers echo keys back in 401 bodies; nothing that reaches a log may carry ours."""
        if self._api_key is not None:
            text = text.replace(self._api_key.get_secret_value(), "[redacted]")
        return text


def provider_from_settings(settings: Settings) -> LLMProvider | None:
    """The configured model, or None: Rehearse then runs on the deterministic interviewer alone."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    return LLMProvider(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        first_token_timeout_s=settings.llm_first_token_timeout_s,
    )


def _chunk_text(data: str) -> Iterator[str]:
    """The text of one `chat.completion.chunk`; role-only, usage-only and empty chunks give none."""
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise ProviderError(f"malformed chunk: {data[:80]!r}") from exc
    if not isinstance(chunk, dict):
        raise ProviderError(f"malformed chunk: {data[:80]!r}")
    if chunk.get("error"):
        error = chunk["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise ProviderError(f"error in stream: {str(message)[:_BODY_SNIPPET]}")
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        raise ProviderError(f"malformed chunk: {data[:80]!r}")
    for choice in choices[:1]:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        content = delta.get("content") if isinstance(delta, dict) else None
        if content is not None and not isinstance(content, str):
            raise ProviderError(f"malformed chunk: {data[:80]!r}")
        if content:
            yield content


def _response_format(mode: str, schema: type[BaseModel]) -> dict[str, Any]:
    if mode == "json_object":
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__[:64], "schema": schema.model_json_schema(), "strict": False},
    }


def _validate(text: str, schema: type[ModelT]) -> ModelT:
    body = text.strip()
    if body.startswith("```"):  # models without a JSON mode like to wrap their answer in a fence
        body = body.split("\n", 1)[-1].rsplit("```", 1)[0]
    try:
        return schema.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise ProviderError(
            f"invalid JSON answer ({exc.error_count()} errors; {where}: {first['msg']})"
        ) from exc


def _refused_json_mode(exc: ProviderError) -> bool:
    """A 400/422 about the JSON mode, not about the prompt (too long, bad model name...)."""
    reason = exc.reason.lower()
    return exc.status in (400, 422) and any(word in reason for word in ("response_format", "json", "schema"))


def _host(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.host}:{parsed.port}" if parsed.port else parsed.host
