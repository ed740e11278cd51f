"""The pool of pre-started, single-use containers, against the real engine."""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from workers.execution.pool import Pool
from workers.execution.sandbox import EngineUnavailable, Language, RunRequest, Sandbox

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(90)]


@pytest.fixture
def pool(sandbox: Sandbox) -> Iterator[Pool]:
    pool = Pool(sandbox, size=2)
    assert pool.wait_ready(30), "the pool did not fill"
    yield pool
    pool.close()


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "print(input()[::-1])"),
        (
            "javascript",
            "console.log(require('fs').readFileSync(0, 'utf8').trim().split('').reverse().join(''))",
        ),
        (
            "typescript",
            "const s: string = require('fs').readFileSync(0, 'utf8').trim();\nconsole.log([...s].reverse().join(''))",
        ),
    ],
)
def test_pooled_run_and_refill(pool: Pool, language: str, code: str) -> None:
    verdict = pool.run(RunRequest(language=language, code=code, stdin="pool"))
    assert verdict.status == "ok" and verdict.stdout == "loop\n"
    assert pool.wait_ready(30)  # a replacement was started in the background
    assert pool.ready_count(Language(language)) == 2


def test_a_pooled_container_is_never_reused(
    pool: Pool, our_containers: Callable[[], list[dict[str, Any]]]
) -> None:
    before = {c["Id"] for c in our_containers()}
    write = pool.run(RunRequest(language="python", code="open('/tmp/state', 'w').write('x')\nprint('ok')"))
    assert write.stdout == "ok\n"
    read = pool.run(RunRequest(language="python", code="import os\nprint(os.path.exists('/tmp/state'))"))
    assert read.stdout == "False\n"
    pool.sandbox.reaper.flush()
    used = before - {c["Id"] for c in our_containers()}
    assert len(used) == 2  # two runs took (and removed) two different pre-started containers


def test_concurrent_runs_do_not_cross(pool: Pool) -> None:
    def one(i: int) -> tuple[int, str, str]:
        language = ("python", "javascript")[i % 2]
        code = (
            "print(int(input()) * 2)"
            if language == "python"
            else "console.log(Number(require('fs').readFileSync(0, 'utf8')) * 2)"
        )
        verdict = pool.run(RunRequest(language=language, code=code, stdin=str(i)))
        return i, verdict.status, verdict.stdout

    with ThreadPoolExecutor(max_workers=8) as executor:
        results = list(executor.map(one, range(16)))
    assert results == [(i, "ok", f"{i * 2}\n") for i in range(16)]


def test_dead_or_stale_pooled_containers_fall_back_to_cold(
    sandbox: Sandbox, our_containers: Callable[[], list[dict[str, Any]]]
) -> None:
    pool = Pool(sandbox, size=1, max_idle_s=60)
    try:
        assert pool.wait_ready(30)
        for container in our_containers():
            if "python" in container["Image"]:
                sandbox.api.remove_container(container["Id"], force=True)  # the engine lost it
        verdict = pool.run(RunRequest(language="python", code="print('cold')"))
        assert verdict.status == "ok" and verdict.stdout == "cold\n"
        pool.max_idle_s = 0  # everything ready is now stale
        assert pool.wait_ready(30)
        verdict = pool.run(RunRequest(language="javascript", code="console.log('cold too')"))
        assert verdict.status == "ok" and verdict.stdout == "cold too\n"
    finally:
        pool.close()


def test_other_memory_limits_run_cold(pool: Pool) -> None:
    verdict = pool.run(RunRequest(language="python", code="print('big')", memory_mb=512))
    assert verdict.status == "ok" and verdict.stdout == "big\n"
    assert pool.ready_count(Language.PYTHON) == 2  # the pool was not touched


def test_unreachable_engine_raises_instead_of_hanging() -> None:
    down = Sandbox("unix:///nonexistent/rehearse.sock")
    pool = Pool(down, size=2)
    try:
        started = time.monotonic()
        with pytest.raises(EngineUnavailable):
            pool.run(RunRequest(language="python", code="print(1)"))
        assert time.monotonic() - started < 2
        assert pool.ready_count(Language.PYTHON) == 0
    finally:
        pool.close()
        down.close()
