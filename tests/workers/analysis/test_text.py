"""Normalisation used for lexical matching: numbers, abbreviations, stems, sentence splitting."""

from __future__ import annotations

import pytest

from workers.analysis.text import contains_phrase, content_stems, sentences, stems, tokens


@pytest.mark.parametrize(
    "text",
    ["100 million urls", "100M urls", "100m URLs", "1e8 urls", "100,000,000 urls", "a hundred million urls"],
)
def test_numbers_with_scales_are_one_token(text: str) -> None:
    assert tokens(text) == ("#1e+08", "urls")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4k redirects/s", ("#4000", "redirects", "per", "second")),
        ("40 QPS", ("#40", "queries", "per", "second")),
        ("p99 under 50ms", ("p99", "under", "#50", "milliseconds")),
        ("100MB", ("#100", "mb")),
        ("10bn rows", ("#1e+10", "rows")),
        ("3.5 trillion codes", ("#3.5e+12", "codes")),
        ("seven characters", ("#7", "characters")),
        ("twenty five thousand", ("#25000",)),
        ("cut errors by 50%", ("cut", "errors", "by", "#50", "percent")),
        ("return 429", ("return", "#429")),
        ("I\u2019d use the DB", ("i'd", "use", "the", "database")),
        ("LB in front", ("load", "balancer", "in", "front")),
    ],
)
def test_tokens(text: str, expected: tuple[str, ...]) -> None:
    assert tokens(text) == expected


def test_stems_meet_across_inflections() -> None:
    assert stems("sharding the caches") == stems("shard the cache")
    assert content_stems("cache in front of the database") == frozenset({"cach", "front", "databas"})
    assert content_stems("in hindsight") == frozenset({"hindsight"})


def test_contains_phrase() -> None:
    assert contains_phrase(
        stems("we shard by short code with consistent hashing"), stems("consistent hashing")
    )
    assert not contains_phrase(stems("hashing is consistent"), stems("consistent hashing"))
    assert not contains_phrase((), stems("x"))


def test_sentences_split_messages_and_long_sentences() -> None:
    text = (
        "First, I'd clarify requirements. We need shortening and redirects; aliases are optional.\n"
        "- cache hot links in Redis\n- shard by code\n"
        "Each app server grabs a range of ids from ZooKeeper, then encodes the id in base62 so seven "
        "characters gives us about 3.5 trillion codes, which is plenty for five years of links."
    )
    units = sentences(text)
    assert units[:5] == [
        "First, I'd clarify requirements.",
        "We need shortening and redirects;",
        "aliases are optional.",
        "cache hot links in Redis",
        "shard by code",
    ]
    assert len(units) == 8 and "3.5 trillion" in units[6]  # the long sentence became clauses
    assert sentences("") == [] and sentences("   ") == []
