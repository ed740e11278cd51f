"""The Procfile (`make run`, honcho), compose.yaml (production), the image's web command and the
benchmarks' copy of the Procfile describe the same processes: the same pools on the same queues with
the same Dramatiq tuning. An operator who scales a pool in one of them must get what the others promise."""

from __future__ import annotations

import importlib
import json
import re
import shlex
from typing import Any

import dramatiq
import pytest
import yaml

from bench.procfile import EXECUTION, FEEDBACK, INTERVIEWER, TIMERS, WEB
from models.jobs import Queue
from tests.scale import cluster
from tests.scale.processes import ROOT

TUNING = ("dramatiq_worker_timeout", "dramatiq_queue_prefetch")


def procfile() -> dict[str, tuple[dict[str, str], list[str]]]:
    """Process type -> (leading VAR=value assignments, argv)."""
    lines: dict[str, tuple[dict[str, str], list[str]]] = {}
    for name, command in cluster.procfile().items():
        words = shlex.split(re.sub(r"\$\([^)]*\)", "$(...)", command))  # $(mktemp -d) is one word
        env: dict[str, str] = {}
        while words and "=" in words[0] and not words[0].startswith("-"):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        lines[name] = (env, words)
    return lines


def compose() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    return services


def pools(lines: dict[str, tuple[dict[str, str], list[str]]]) -> dict[str, list[str]]:
    return {name: argv for name, (_env, argv) in lines.items() if argv[0] == "dramatiq"}


def queues_of(argv: list[str]) -> list[str]:
    """The names after `--queues`, up to the next option."""
    names = argv[argv.index("--queues") + 1 :]
    return names[: next((i for i, word in enumerate(names) if word.startswith("-")), len(names))]


def without(argv: list[str], options: set[str], flags: set[str]) -> list[str]:
    """argv less `options` (each with its value) and `flags`."""
    kept: list[str] = []
    words = iter(argv)
    for word in words:
        if word in options:
            next(words)
        elif word not in flags:
            kept.append(word)
    return kept


def test_every_queue_has_exactly_one_pool_everywhere() -> None:
    for source in (pools(procfile()), {n: s["command"] for n, s in compose().items() if "command" in s}):
        consumed = [q for argv in source.values() if argv[0] == "dramatiq" for q in queues_of(argv)]
        assert sorted(consumed) == sorted(q.value for q in Queue)


def test_pools_run_the_same_command_and_tuning_in_procfile_and_compose() -> None:
    services, lines = compose(), procfile()
    for name, argv in pools(lines).items():
        env = lines[name][0]
        service = services[name]
        assert service["command"] == argv, name
        environment = service["environment"]
        for key in TUNING:
            assert environment.get(key) == env.get(key), f"{name}: {key}"
        assert environment["REHEARSE_WORKER_METRICS"] == env["REHEARSE_WORKER_METRICS"] == "true"


@pytest.mark.parametrize("name", sorted(pools(procfile())))
def test_a_pools_module_declares_actors_on_its_own_queue_only(name: str) -> None:
    argv = pools(procfile())[name]
    importlib.import_module(argv[1])  # declares its actors on the broker
    broker = dramatiq.get_broker()
    actors = [broker.get_actor(actor_name) for actor_name in broker.get_declared_actors()]
    own = [actor for actor in actors if actor.fn.__module__ == argv[1]]
    assert own, f"{argv[1]} declares no actor"
    assert {actor.queue_name for actor in own} == set(queues_of(argv))


def test_the_benchmarks_start_what_the_procfile_starts() -> None:
    lines = procfile()
    for name, (bench_env, bench_argv) in {
        "web": WEB,
        "interviewer": INTERVIEWER,
        "execution": EXECUTION,
        "feedback": FEEDBACK,
        "timers": TIMERS,
    }.items():
        env, argv = lines[name]
        if name == "web":  # the bench picks its own address and has no proxy in front
            argv = without(argv, {"--host", "--port"}, {"--proxy-headers"})
        assert bench_argv == argv, name
        assert bench_env == {k: v for k, v in env.items() if k in TUNING}, name


def test_the_image_serves_the_web_tier_as_the_procfile_does() -> None:
    """compose's web service runs the image's CMD: the same uvicorn options as the Procfile's web
    line, except the address and the proxy's trusted addresses (the image sits behind nginx)."""
    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    image_argv = without(
        json.loads(cmd.removeprefix("CMD ")), {"--host", "--port", "--forwarded-allow-ips"}, set()
    )
    assert image_argv == without(procfile()["web"][1], {"--host", "--port"}, set())


def test_compose_services_are_production_ready() -> None:
    services = compose()
    app_services = [n for n, s in services.items() if s.get("image") == "rehearse-app:latest"]
    assert set(pools(procfile())) | {"web", "scheduler", "migrate"} <= set(app_services)
    for name in app_services:
        if name != "migrate":
            assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["REHEARSE_ENVIRONMENT"] == "production"
    socket_users = [n for n, s in services.items() if any("docker.sock" in v for v in s.get("volumes", []))]
    assert socket_users == ["execution"]  # only the pool that starts sandboxes reaches the engine
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
