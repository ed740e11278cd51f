"""Static signals of code quality in the final code: cheap, deterministic and quotable.

Not a linter: a handful of things an interviewer notices in a 30-line solution, each pointing at
the line it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.report import Evidence

MAX_FUNCTION_LINES = 40  # non-blank, non-comment lines
MAX_BLOCK_DEPTH = 4  # nested blocks inside the function
# Short names that read fine by convention: indices, sizes, pointers, coordinates.
CONVENTIONAL = frozenset({"i", "j", "k", "n", "m", "x", "y", "l", "r", "lo", "hi", "_"})
_LEFTOVER = re.compile(r"\b(?:TODO|FIXME|XXX)\b|^\s*pass\s*$")
_PY_NAMES = re.compile(r"^\s*(?:for\s+)?([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s*(?:=(?!=)|\bin\b)")
_JS_NAMES = re.compile(r"\b(?:let|const|var)\s+([A-Za-z_$][\w$]*)")


@dataclass(frozen=True)
class Signal:
    name: str
    ok: bool
    evidence: Evidence | None = None


def signals(code: str, language: str, function_name: str, final_status: str) -> list[Signal]:
    lines = code.splitlines()
    body = [(i, line) for i, line in enumerate(lines, 1) if line.strip() and not _comment(line, language)]
    return [
        _defines(lines, language, function_name),
        Signal("the final run finished without an error", final_status == "ok"),
        _no_leftovers(list(enumerate(lines, 1))),
        _short_enough(body),
        _shallow(body, language),
        _names(body, language),
    ]


def _defines(lines: list[str], language: str, function_name: str) -> Signal:
    pattern = (
        rf"^\s*def\s+{function_name}\s*\("
        if language == "python"
        else rf"\bfunction\s+{function_name}\s*\(|\b(?:const|let|var)\s+{function_name}\s*="
    )
    found = next((i for i, line in enumerate(lines, 1) if re.search(pattern, line)), None)
    evidence = _line(found, lines[found - 1]) if found else None
    return Signal(f"defines `{function_name}` as asked", found is not None, evidence)


def _no_leftovers(body: list[tuple[int, str]]) -> Signal:
    left = next(((i, line) for i, line in body if _LEFTOVER.search(line)), None)
    return Signal("no placeholder or TODO left", left is None, _line(*left) if left else None)


def _short_enough(body: list[tuple[int, str]]) -> Signal:
    return Signal(f"at most {MAX_FUNCTION_LINES} lines of code", len(body) <= MAX_FUNCTION_LINES)


def _shallow(body: list[tuple[int, str]], language: str) -> Signal:
    deepest, depth_of = 0, 0
    where: tuple[int, str] | None = None
    depth = 0
    for i, line in body:
        if language == "python":
            depth_of = (len(line) - len(line.lstrip())) // 4
        else:
            depth_of = depth
            depth += line.count("{") - line.count("}")
        if depth_of > deepest:
            deepest, where = depth_of, (i, line)
    ok = deepest <= MAX_BLOCK_DEPTH
    return Signal(
        f"blocks nested at most {MAX_BLOCK_DEPTH} deep", ok, None if ok or where is None else _line(*where)
    )


def _names(body: list[tuple[int, str]], language: str) -> Signal:
    declared: list[tuple[int, str, str]] = []
    for i, line in body:
        if language == "python":
            match = _PY_NAMES.match(line)
            names = [n for n in (match.groups() if match else ()) if n]
        else:
            names = _JS_NAMES.findall(line)
        declared.extend((i, line, name) for name in names)
    cryptic = [(i, line) for i, line, name in declared if len(name) == 1 and name not in CONVENTIONAL]
    ok = len(cryptic) * 2 <= max(1, len(declared)) or len(cryptic) < 2
    return Signal("descriptive variable names", ok, None if ok else _line(*cryptic[0]))


def _comment(line: str, language: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") if language == "python" else stripped.startswith(("//", "/*", "*"))


def _line(number: int, text: str) -> Evidence:
    return Evidence(kind="code", text=f"line {number}: {text.strip()[:200]}", ref=f"line:{number}")
