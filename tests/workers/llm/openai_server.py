"""A real OpenAI-compatible HTTP server on 127.0.0.1, streaming `chat.completion.chunk` SSE.

The first path segment picks the behaviour, so one server serves every case:
`http://127.0.0.1:PORT/<scenario>/v1` is a base URL whose `/chat/completions` acts as `<scenario>`.
It writes HTTP/1.1 chunked encoding by hand so a test can also break a stream the way a crashing
server does (socket closed with no final chunk).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKENS = ["Could", " you", " walk", " me", " through", " your", " approach", "?"]
VALID_REPORT = '{"score": 3, "evidence": ["I would shard by user id"]}'
ECHOED_KEY_PREFIX = "Incorrect API key provided: "


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeOpenAI:
    port: int
    requests: list[Recorded] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def base_url(self, scenario: str) -> str:
        return f"http://127.0.0.1:{self.port}/{scenario}/v1"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.state.requests.append(Recorded(self.path, dict(self.headers), body))
        scenario = self.path.strip("/").split("/")[0]
        getattr(self, "scenario_" + scenario.replace("-", "_"))(body)

    # -- the wire ---------------------------------------------------------------------------------

    def start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def data(self, payload: str) -> None:
        self.write(f"data: {payload}\n\n")

    def chunk(self, content: str | None = None, finish: str | None = None, role: bool = False) -> None:
        delta: dict[str, str] = {"role": "assistant"} if role else {}
        if content is not None:
            delta["content"] = content
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        body = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [choice],
        }
        self.data(json.dumps(body))

    def end_stream(self, done: bool = True) -> None:
        if done:
            self.data("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def crash(self) -> None:
        """Drop the connection mid-body, as a dying server does."""
        self.close_connection = True

    def answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def stream_text(self, text: str, pieces: int = 4) -> None:
        self.start_stream()
        self.chunk(role=True)
        step = max(1, len(text) // pieces)
        for start in range(0, len(text), step):
            self.chunk(text[start : start + step])
        self.chunk(finish="stop")
        self.end_stream()

    # -- behaviours -------------------------------------------------------------------------------

    def scenario_normal(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(role=True)
        for token in TOKENS:
            time.sleep(0.01)
            self.chunk(token)
        self.chunk(finish="stop")
        self.end_stream()

    def scenario_broken(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(role=True)
        self.chunk(TOKENS[0])
        self.chunk(TOKENS[1])
        self.crash()

    def scenario_no_done(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(TOKENS[0])
        self.end_stream(done=False)

    def scenario_stall(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(role=True)  # headers and a role chunk, then nothing: a model stuck reading the prompt
        self.server.state.release.wait(5)
        self.crash()

    def scenario_trickle(self, body: dict[str, Any]) -> None:
        self.start_stream()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not self.server.state.release.is_set():
            self.write(": keep-alive\n\n")  # bytes keep flowing, so socket timeouts never fire
            time.sleep(0.1)
        self.crash()

    def scenario_mid_stall(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(TOKENS[0])
        self.chunk(TOKENS[1])
        self.server.state.release.wait(5)
        self.crash()

    def scenario_http500(self, body: dict[str, Any]) -> None:
        self.answer(500, {"error": {"message": "model crashed", "type": "server_error"}})

    def scenario_http401(self, body: dict[str, Any]) -> None:
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        self.answer(401, {"error": {"message": ECHOED_KEY_PREFIX + key, "type": "invalid_request_error"}})

    def scenario_malformed(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(TOKENS[0])
        self.data('{"id": "chatcmpl-test", "choices": [{"delta": {"content": "x"')
        self.chunk(TOKENS[1])
        self.chunk(finish="stop")
        self.end_stream()

    def scenario_error_event(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.data(json.dumps({"error": {"message": "out of memory"}}))
        self.end_stream()

    def scenario_empty(self, body: dict[str, Any]) -> None:
        self.start_stream()
        self.chunk(role=True)
        self.chunk("  \n")
        self.chunk(finish="stop")
        self.end_stream()

    def scenario_long(self, body: dict[str, Any]) -> None:
        self.start_stream()
        for _ in range(60):
            self.chunk("all work and no play " * 5)
        self.chunk(finish="stop")
        self.end_stream()

    def scenario_json_valid(self, body: dict[str, Any]) -> None:
        self.stream_text(VALID_REPORT)

    def scenario_json_fenced(self, body: dict[str, Any]) -> None:
        self.stream_text(f"```json\n{VALID_REPORT}\n```")

    def scenario_json_invalid(self, body: dict[str, Any]) -> None:
        self.stream_text('{"score": "very high"}')

    def scenario_json_not_json(self, body: dict[str, Any]) -> None:
        self.stream_text("The candidate did well overall.")

    def scenario_json_schema_refused(self, body: dict[str, Any]) -> None:
        """A server like llama.cpp's older builds: `json_object` yes, `json_schema` no."""
        if body.get("response_format", {}).get("type") == "json_schema":
            self.answer(400, {"error": {"message": "response_format type json_schema is not supported"}})
            return
        self.stream_text(VALID_REPORT)

    def scenario_context_too_long(self, body: dict[str, Any]) -> None:
        self.answer(400, {"error": {"message": "prompt is too long for the context window"}})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up first, which is what several tests are about
        super().handle_error(request, client_address)


@contextmanager
def running_fake_openai() -> Iterator[FakeOpenAI]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = FakeOpenAI(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
