"""The real system-design and behavioral banks, read file by file.

Loaded directly rather than through `load_banks()` so that a bank file being written elsewhere
(coding.yaml) cannot break these tests.
"""

from __future__ import annotations

from functools import cache

from models.bank import BANK_DIR, Question, load_bank_file


@cache
def _questions() -> dict[str, Question]:
    found: dict[str, Question] = {}
    for name in ("system_design.yaml", "behavioral.yaml"):
        found.update({q.id: q for q in load_bank_file(BANK_DIR / name).questions})
    return found


def question(question_id: str) -> Question:
    return _questions()[question_id]


def all_questions() -> list[Question]:
    return list(_questions().values())
