from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.workers.llm.openai_server import FakeOpenAI, running_fake_openai


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with running_fake_openai() as server:
        yield server


@pytest.fixture
def dead_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
