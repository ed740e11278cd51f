"""Typed commands the candidate can use at any time (`hint`, `repeat`, `rephrase`, `skip`, `done`)."""

from __future__ import annotations

import re
from enum import StrEnum


class Command(StrEnum):
    HINT = "hint"
    REPEAT = "repeat"
    REPHRASE = "rephrase"
    SKIP = "skip"
    DONE = "done"
    REVIEW_CODE = "review_code"
    REVIEW_DIAGRAM = "review_diagram"


_EXACT = {
    "hint": Command.HINT,
    "/hint": Command.HINT,
    "give me a hint": Command.HINT,
    "can i get a hint": Command.HINT,
    "can i have a hint": Command.HINT,
    "i need a hint": Command.HINT,
    "repeat": Command.REPEAT,
    "/repeat": Command.REPEAT,
    "repeat the question": Command.REPEAT,
    "can you repeat that": Command.REPEAT,
    "could you repeat that": Command.REPEAT,
    "say that again": Command.REPEAT,
    "rephrase": Command.REPHRASE,
    "/rephrase": Command.REPHRASE,
    "i don't understand": Command.REPHRASE,
    "i dont understand": Command.REPHRASE,
    "i do not understand": Command.REPHRASE,
    "what do you mean": Command.REPHRASE,
    "can you rephrase": Command.REPHRASE,
    "can you rephrase that": Command.REPHRASE,
    "next": Command.SKIP,
    "/next": Command.SKIP,
    "skip": Command.SKIP,
    "/skip": Command.SKIP,
    "next question": Command.SKIP,
    "skip this": Command.SKIP,
    "done": Command.DONE,
    "/done": Command.DONE,
    "i'm done": Command.DONE,
    "im done": Command.DONE,
    "i am done": Command.DONE,
    "end the interview": Command.DONE,
    "finish the interview": Command.DONE,
}
_CODE_REVIEW = re.compile(r"\b(look|check|review|see)\b.*\b(my )?(code|solution|implementation|run)\b")
_DIAGRAM_REVIEW = re.compile(r"\b(look|check|review|see)\b.*\b(my )?(diagram|drawing|design|sketch)\b")
_YES = {"yes", "y", "yes please", "yep", "yeah", "confirm", "sure", "ok", "okay", "yes, end it", "end it"}


def normalise(text: str) -> str:
    return re.sub(r"[\s.!?]+$", "", re.sub(r"\s+", " ", text.strip().lower()))


def parse(text: str) -> Command | None:
    """A command when the whole message is one; a long answer that mentions "hint" is not a command."""
    cleaned = normalise(text)
    if cleaned in _EXACT:
        return _EXACT[cleaned]
    if len(cleaned) <= 60 and _CODE_REVIEW.search(cleaned):
        return Command.REVIEW_CODE
    if len(cleaned) <= 60 and _DIAGRAM_REVIEW.search(cleaned):
        return Command.REVIEW_DIAGRAM
    return None


def is_confirmation(text: str) -> bool:
    return normalise(text) in _YES
