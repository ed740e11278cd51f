"""The fake OpenAI-compatible server of the LLM tests, with a gate a test can close.

`/gate/v1` answers like `/normal/v1` while the gate is open. While it is closed, a request is
accepted and then held (no token) until the gate opens again: an interviewer turn is then provably
in the middle of its phrasing step, which is when the fault tests kill its worker.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.workers.llm.openai_server import FakeOpenAI, _Handler, _Server

HOLD_LIMIT_S = 60.0  # a held request never outlives a test


@dataclass
class GatedOpenAI(FakeOpenAI):
    gate: threading.Event = field(default_factory=threading.Event)
    held_from: list[int] = field(default_factory=list)  # client ports of the requests held

    @property
    def url(self) -> str:
        return self.base_url("gate")

    def close_gate(self) -> None:
        self.gate.clear()

    def open_gate(self) -> None:
        self.gate.set()


class _GateHandler(_Handler):
    def scenario_gate(self, body: dict[str, Any]) -> None:
        state = self.server.state
        assert isinstance(state, GatedOpenAI)
        if not state.gate.is_set():
            state.held_from.append(self.client_address[1])
            self.start_stream()
            self.chunk(role=True)
            state.gate.wait(HOLD_LIMIT_S)
            self.scenario_tokens()
            return
        self.scenario_normal(body)

    def scenario_tokens(self) -> None:
        self.chunk("Could you say more about that?")
        self.chunk(finish="stop")
        self.end_stream()


@contextmanager
def running_gated_openai() -> Iterator[GatedOpenAI]:
    server = _Server(("127.0.0.1", 0), _GateHandler)
    state = GatedOpenAI(port=server.server_address[1])
    state.open_gate()
    server.state = state
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.open_gate()
        server.shutdown()
        server.server_close()
        thread.join(5)
