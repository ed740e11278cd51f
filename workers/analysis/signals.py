"""Behavioral answer signals: which STAR parts a story has, and how specific and personal it is.

Interviewers listen for numbers, dates, concrete verbs and "I" rather than "we"; hedging ("I
guess", "kind of") reads as distance from the work. These counts are cheap, deterministic hints
for the scorer and the interviewer's probes, not a grade on their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from models.bank import STAR_PARTS, Question
from workers.analysis.coverage import PointHit, analyse
from workers.analysis.text import stem, tokens, word_set


@dataclass(frozen=True, slots=True)
class StarPart:
    part: str  # situation | task | action | result | reflection
    score: float  # the best point score in this part, 0..1
    covered: bool  # at least one of its points is covered
    points: list[PointHit]


@dataclass(frozen=True, slots=True)
class Specificity:
    words: int
    numbers: int  # every numeric expression ("40 minutes", "2,000", "half")
    metrics: int  # numbers with a unit, percent, multiplier or currency ("30%", "2x", "$5k")
    time_expressions: int  # "last year", "in March", "within ten minutes", "at 2am"
    action_verbs: int  # concrete verbs of doing ("built", "rolled back", "measured")
    i_count: int  # I, me, my, mine, myself
    we_count: int  # we, us, our, ours, ourselves
    hedges: int  # "maybe", "I think", "kind of", "probably"

    @property
    def i_share(self) -> float | None:
        """I / (I + we): how much of the story is the candidate's own; None with neither."""
        total = self.i_count + self.we_count
        return self.i_count / total if total else None


def star_parts(question: Question, texts: Sequence[str]) -> dict[str, StarPart]:
    """Coverage of the question's points grouped by STAR part (every part present, in order)."""
    star_points = [p for p in question.talking_points if p.phase in STAR_PARTS]
    hits = analyse(question, texts, [p.id for p in star_points])
    parts: dict[str, StarPart] = {}
    for part in STAR_PARTS:
        mine = [hits[p.id] for p in star_points if p.phase == part]
        parts[part] = StarPart(
            part=part,
            score=max((h.score for h in mine), default=0.0),
            covered=any(h.covered for h in mine),
            points=mine,
        )
    return parts


_SINGULAR = word_set("i me my mine myself i'd i'm i've i'll")
_PLURAL = word_set("we us our ours ourselves we'd we're we've we'll let's")
_NUMBER_WORDS = word_set("half quarter third double doubled tripled halved dozen dozens")
_UNITS = word_set(
    """percent times x ms milliseconds seconds second minutes minute hours hour days day weeks week
    months month years year users customers requests orders tickets engineers people bugs incidents
    errors dollars k mb gb tb qps rps points hires services teams"""
)
_ACTION_VERBS = frozenset(
    stem(w)
    for w in word_set(
        """built build wrote write designed design implemented implement measured measure
    profiled benchmarked migrated migrate refactored rewrote shipped ship launched launch deployed
    rolled automated automate fixed fix debugged diagnosed traced instrumented monitored added
    removed replaced reduced cut increased improved optimised optimized scaled tested reviewed
    proposed propose presented negotiated convinced persuaded organised organized scheduled
    led lead mentored coached trained hired interviewed documented analysed analyzed investigated
    prioritised prioritized escalated coordinated drafted prototyped validated created set asked
    called met paired pushed pulled split merged decided delegated owned wrote reverted"""
    )
)
_TIME = re.compile(
    r"\b(?:(?:last|next|this|that|the following|the previous) (?:year|quarter|month|week|sprint|day|"
    r"night|morning|summer|winter|spring|autumn|fall)|(?:in|by|since|during|until) (?:19|20)\d\d|"
    r"(?:19|20)\d\d|q[1-4]\b|(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|"
    r"(?:within|for|after|in|over|about|around|under) (?:a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|a few|several|\d+) (?:minutes?|hours?|days?|weeks?|months?|years?|sprints?)|"
    r"\d{1,2}(?::\d\d)? ?(?:am|pm)|\d+ (?:minutes?|hours?|days?|weeks?|months?|years?) (?:later|ago)|"
    r"(?:a|two|three|\d+) (?:days?|weeks?|months?) (?:later|ago|before|after|out))\b"
)
_HEDGES = re.compile(
    r"\b(?:maybe|perhaps|probably|possibly|i think|i guess|i suppose|i believe|kind of|sort of|"
    r"somewhat|more or less|not sure|i'm not sure|might have|could have been|i don't remember|"
    r"i can't remember|if i recall|something like|or something|ish)\b"
)
_CURRENCY = re.compile(r"[$€£]\s?\d")


def specificity(text: str) -> Specificity:
    """Counts of the concrete details in one answer (or a whole story joined together)."""
    lowered = text.lower().replace("\u2019", "'")
    words = tokens(lowered)
    numbers = metrics = 0
    for i, word in enumerate(words):
        if word.startswith("#") or word in _NUMBER_WORDS:
            numbers += 1
            following = words[i + 1] if i + 1 < len(words) else ""
            metrics += following in _UNITS
    metrics += len(_CURRENCY.findall(text))  # "$5k": the unit comes first
    return Specificity(
        words=len(re.findall(r"\b\w+\b", lowered)),
        numbers=numbers,
        metrics=metrics,
        time_expressions=len(_TIME.findall(lowered)),
        action_verbs=sum(1 for w in words if stem(w) in _ACTION_VERBS),
        i_count=sum(1 for w in words if w in _SINGULAR),
        we_count=sum(1 for w in words if w in _PLURAL),
        hedges=len(_HEDGES.findall(lowered)),
    )
