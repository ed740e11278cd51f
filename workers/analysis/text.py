"""Text normalisation shared by coverage, clarifications and signals: sentences, stems, numbers.

Lexical matching compares stems, so "sharding" meets "shard by key", and numbers are reduced to
one canonical token, so "100 million", "100M", "100,000,000" and "1e8" all read as `#1e+08`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(words.split())


# Function words: they carry no topic, so token overlap ignores them (containment still sees them).
# Direction and negation words (up, down, over, out, no, not) stay: "scale up", "fail over".
STOPWORDS = word_set(
    """a about after against all am an and any are as at be because been before being between both
    but by can could did do does doing during each for from had has have having he her here hers him
    his how i if in into is it its itself just me more most my nor of on only or other our ours own
    same she should so some such than that the their theirs them then there these they this those
    through to too until very
    was we were what when where which while who whom why will with would you your yours also like
    i'd i'm i'll i've we'd we'll we're we've it's that's there's let's gonna kind sort thing things
    per really actually basically just maybe probably pretty quite lot lots"""
)

# Abbreviations a candidate types for words a phrasing spells out (and the reverse, via stems).
_EXPAND = {
    "qps": "queries per second",
    "rps": "requests per second",
    "tps": "transactions per second",
    "req": "requests",
    "reqs": "requests",
    "sec": "second",
    "secs": "seconds",
    "ms": "milliseconds",
    "db": "database",
    "dbs": "databases",
    "lb": "load balancer",
    "k8s": "kubernetes",
    "w/": "with",
    "/s": "per second",
    "/sec": "per second",
    "&": "and",
}

_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9, "t": 1e12, "trillion": 1e12, "hundred": 1e2,
}  # fmt: skip
# Scale words that need a separating space to count ("100 million"); letters glue ("100M", "4k").
_SPACED_SCALES = frozenset({"thousand", "million", "billion", "trillion", "hundred", "mil", "bn"})
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
)
_ONES += " seventeen eighteen nineteen"
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_WORD_NUMBERS = {w: float(i) for i, w in enumerate(_ONES.split())}
_WORD_NUMBERS |= {w: float(10 * i) for i, w in enumerate(_TENS_WORDS.split(), 2)}
_TENS = frozenset(f"#{10 * i}" for i in range(2, 10))  # number_token of 20..90
# A number (1,000,000 / 3.5 / 1e8), optionally glued to a unit (100MB, 50ms) or a scale (100M, 4k).
_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
    r"(?:(kb|mb|gb|tb|pb|ms|s|x)|(k|mm|m|bn|b|t))?(?!\w)"
)
_UNITS = {"s": "seconds", "x": "times"}
_TOKEN = re.compile(r"#[0-9e+.\-]+|[a-z0-9]+(?:'[a-z]+)?|/s(?:ec)?\b|w/|&")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+[-*\u2022]\s+|(?<=:)\s+(?=[A-Z0-9])")
_CLAUSE = re.compile(r",\s+|\s+(?:and then|then|but|so that|which means|because)\s+")
LONG_SENTENCE_WORDS = 28  # longer sentences are split into clauses: one idea per embedding


def number_token(value: float) -> str:
    return f"#{value:.6g}"


def _canonical_numbers(text: str) -> str:
    """Replace every numeric expression by its canonical token, folding scale words into it."""

    def glued(match: re.Match[str]) -> str:
        value = float(match.group(1).replace(",", ""))
        unit, scale = match.group(2), match.group(3)
        if scale:
            value *= _SCALES[scale]
        return f" {number_token(value)} {_UNITS.get(unit, unit or '')} "

    text = _NUMBER.sub(glued, text)
    words = text.split()
    out: list[str] = []
    for word in words:
        bare = word.strip(",.;:!?()")
        value = _WORD_NUMBERS.get(bare)
        if value is not None and value < 10 and out and out[-1] in _TENS:
            out[-1] = number_token(float(out[-1][1:]) + value)  # "twenty five"
            continue
        if value is not None:
            out.append(number_token(value))
            continue
        scale = _SCALES.get(bare) if bare in _SPACED_SCALES else None
        if scale is not None and out and out[-1].startswith("#"):
            out[-1] = number_token(float(out[-1][1:]) * scale)
        elif scale is not None and out and out[-1] in ("a", "one"):
            out[-1] = number_token(scale)
        else:
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word)) if not word.startswith("#") else word


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """Lowercased word tokens with numbers canonical and abbreviations expanded (not stemmed)."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(\d)\s*%", r"\1 percent", text)
    raw = _TOKEN.findall(_canonical_numbers(text))
    out: list[str] = []
    for token in raw:
        out.extend(_EXPAND.get(token, token).split())
    return tuple(out)


@lru_cache(maxsize=16384)
def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokens(text))


@lru_cache(maxsize=16384)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning; falls back to all words for an all-function phrase."""
    words = tokens(text)
    content = [stem(w) for w in words if w not in STOPWORDS]
    return frozenset(content or (stem(w) for w in words))


def contains_phrase(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    if not n or n > len(haystack):
        return False
    first = needle[0]
    return any(haystack[i] == first and haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def sentences(text: str) -> list[str]:
    """Split a message into sentences, and long sentences into clauses, keeping clauses >= 4 words."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = sentence.strip(" \t-*\u2022")
        if not sentence:
            continue
        if len(sentence.split()) <= LONG_SENTENCE_WORDS:
            units.append(sentence)
            continue
        current = ""
        for clause in _CLAUSE.split(sentence):
            current = f"{current}, {clause}" if current else clause
            if len(current.split()) >= 4:
                units.append(current)
                current = ""
        if current and units:
            units[-1] = f"{units[-1]}, {current}"  # a short tail belongs to the clause before it
        elif current:
            units.append(current)
    return units
