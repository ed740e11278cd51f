"""Hidden tests and the scaling measurement, run by the execution pool (never in this process).

Each run is a CodeSubmission row (purpose HIDDEN_TESTS or SCALING) holding a generated driver
program, committed before `RunCode` is enqueued; the scorer waits for the verdict by message
(Dramatiq results) and then reads the row, which is the truth. The program is deterministic for a
given final run, so a second scoring of the session finds the row, and its verdict, instead of
running the code again: the same session always gets the same measurements.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from dramatiq.results import ResultFailure, ResultTimeout
from sqlalchemy import select

from models.bank import CodingSpec, Question, load_banks
from models.code_submission import CodeSubmission, RunPurpose
from models.jobs import RunCode
from models.runtime import Runtime
from workers.feedback import complexity, harness, hidden_tests
from workers.feedback.complexity import Growth
from workers.feedback.hidden_tests import HiddenResults
from workers.feedback.material import FinalCode

log = logging.getLogger("rehearse.feedback")

WAIT_MS = 45_000  # queueing, a container start and the run's own deadline, with room to spare
MAX_STDIN_CHARS = 900_000  # the sandbox takes 1 MiB of stdin; the largest sizes go first if over
PASS_RATE_FOR_EFFICIENCY = 0.75  # the speed of a solution that fails many tests says little


@dataclass(frozen=True)
class RunResult:
    status: str  # the verdict, or "not_run" when none came back in time
    stdout: str
    stderr: str
    exit_code: int | None

    @property
    def measured(self) -> bool:
        """False when the runner failed rather than the code (no verdict, or an engine outage)."""
        return self.status != "not_run" and not (self.status == "error" and self.exit_code is None)


@dataclass(frozen=True)
class CodeChecks:
    tests: HiddenResults | None  # None: could not be measured (the runner, not the code, failed)
    growth: Growth | None = None
    starter_unchanged: bool = False
    note: str = ""


@dataclass(frozen=True)
class Program:
    purpose: RunPurpose
    language: str
    code: str
    stdin: str
    mark: str


def check(rt: Runtime, session_id: str, question: Question, final: FinalCode) -> CodeChecks:
    """Hidden tests and scaling, run side by side (the scaling result only counts for a solution
    that passes most tests: the speed of a wrong answer says little)."""
    spec = question.coding
    assert spec is not None
    if _squash(final.code) == _squash(_in_language(spec.starter_code, final.language) or ""):
        return CodeChecks(
            HiddenResults(len(spec.tests), problem="the starter code was not changed"), None, True
        )
    programs = [_tests_program(session_id, spec, final)]
    scaling = _scaling_program(session_id, question, spec, final)
    if scaling is not None:
        programs.append(scaling)
    runs = run_programs(rt, session_id, question.id, programs)
    if not runs[0].measured:
        return CodeChecks(None, note="the hidden tests could not be run (the code runner was unavailable)")
    tests = hidden_tests.judge(
        spec, harness.parse_output(runs[0].stdout, programs[0].mark), runs[0].status, runs[0].stderr
    )
    if tests.pass_rate < PASS_RATE_FOR_EFFICIENCY:
        return CodeChecks(
            tests, note="efficiency is only judged for a solution that passes most hidden tests"
        )
    if scaling is None or not runs[1].measured:
        return CodeChecks(tests, note="the growing inputs could not be measured")
    output = harness.parse_output(runs[1].stdout, scaling.mark)
    return CodeChecks(tests, complexity.measure(output, runs[1].status, _sizes(scaling.stdin)))


def _tests_program(session_id: str, spec: CodingSpec, final: FinalCode) -> Program:
    mark = harness.marker(session_id, final.submission_id, RunPurpose.HIDDEN_TESTS.value)
    code = harness.tests_program(final.language, spec.function_name, final.code, mark)
    stdin = harness.tests_stdin([case.args for case in spec.tests])
    return Program(RunPurpose.HIDDEN_TESTS, final.language, code, stdin, mark)


def _scaling_program(
    session_id: str, question: Question, spec: CodingSpec, final: FinalCode
) -> Program | None:
    # TypeScript is transpiled: the JavaScript reference runs in the same driver.
    languages = [final.language, *(["javascript"] if final.language == "typescript" else [])]
    reference = next(
        (code for lang in languages if (code := _in_language(spec.reference_solution, lang))), None
    )
    if reference is None:
        return None
    mark = harness.marker(session_id, final.submission_id, RunPurpose.SCALING.value)
    code = harness.scaling_program(final.language, spec.function_name, final.code, reference, mark)
    return Program(RunPurpose.SCALING, final.language, code, _scaling_stdin(question.id), mark)


def _sizes(stdin: str) -> list[int]:
    sizes: list[int] = json.loads(stdin.partition("\n")[0])["sizes"]
    return sizes


def scaling_inputs(question: Question) -> tuple[list[int], list[list[Any]]]:
    """The bank's sizes plus two smaller ones (so a slow solution still yields a curve before the
    budget stops it), largest dropped until the inputs fit the sandbox's stdin."""
    spec = question.coding
    assert spec is not None
    sizes = list(spec.scaling.sizes)
    sizes = sorted({max(2, sizes[0] // 4), max(2, sizes[0] // 2)} - set(sizes)) + sizes
    make_args = _generator(question.id, spec.scaling.generator)
    args = [make_args(n) for n in sizes]
    while len(sizes) > 2 and len(harness.scaling_stdin(sizes, args)) > MAX_STDIN_CHARS:
        sizes, args = sizes[:-1], args[:-1]
    return sizes, args


@cache
def _scaling_stdin(question_id: str) -> str:
    """Built once per process and question: the inputs are the same for every candidate."""
    return harness.scaling_stdin(*scaling_inputs(load_banks()[question_id]))


@cache
def _generator(question_id: str, source: str) -> Callable[[int], list[Any]]:
    """The bank's reviewed `make_args(n)`: our code, run here to build inputs (seeded by n)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<scaling generator of {question_id}>", "exec"), namespace)
    make_args: Callable[[int], list[Any]] = namespace["make_args"]
    return make_args


def run_programs(rt: Runtime, session_id: str, question_id: str, programs: list[Program]) -> list[RunResult]:
    """Run the programs in the execution pool at once and wait (bounded) for every verdict."""
    ids = _submit(rt, session_id, question_id, programs)
    messages = [rt.enqueue(RunCode(submission_id=i), store_result=True) for i, pending in ids if pending]
    deadline = time.monotonic() + WAIT_MS / 1000
    for message in messages:  # committed in _submit; a rerun re-enqueues a run that never finished
        try:
            rt.wait_result(message, max(1, int((deadline - time.monotonic()) * 1000)))
        except (ResultTimeout, ResultFailure) as exc:
            log.warning("no verdict for run %s: %s", message.kwargs.get("submission_id"), type(exc).__name__)
    with rt.db.sessions() as db:
        results = []
        for submission_id, _ in ids:
            row = db.get(CodeSubmission, submission_id)
            assert row is not None
            status = "not_run" if row.status == "pending" else row.status
            results.append(RunResult(status, row.stdout, row.stderr, row.exit_code))
        return results


def _submit(
    rt: Runtime, session_id: str, question_id: str, programs: list[Program]
) -> list[tuple[int, bool]]:
    """(submission id, still pending) per program: the row found from an earlier run, or a new one."""
    out = []
    with rt.db.unit_of_work() as work:
        for program in programs:
            query = select(CodeSubmission.id, CodeSubmission.status).where(
                CodeSubmission.session_id == session_id,
                CodeSubmission.question_id == question_id,
                CodeSubmission.purpose == program.purpose.value,
                CodeSubmission.code == program.code,
            )
            found = work.session.execute(query.order_by(CodeSubmission.id).limit(1)).first()
            if found is not None:
                out.append((int(found[0]), found[1] == "pending"))
                continue
            row = CodeSubmission(
                session_id=session_id,
                question_id=question_id,
                purpose=program.purpose.value,
                language=program.language,
                code=program.code,
                stdin=program.stdin,
            )
            work.session.add(row)
            work.session.flush()
            out.append((row.id, True))
    return out


def _in_language(by_language: dict[Any, str], language: str) -> str | None:
    return next((text for key, text in by_language.items() if key == language), None)


def _squash(source: str) -> str:
    return re.sub(r"\s+", "", source)
