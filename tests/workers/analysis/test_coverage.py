"""Rubric coverage on realistic answers to real bank questions, with the real embedding model."""

from __future__ import annotations

import pytest

from tests.workers.analysis import answers as A
from tests.workers.analysis.bank import question
from workers.analysis.coverage import COVERED, THIN, analyse, candidate_units
from workers.analysis.text import sentences

STRONG = {
    "sd-url-shortener": A.URL_SHORTENER_STRONG,
    "sd-rate-limiter": A.RATE_LIMITER_STRONG,
    "sd-news-feed": A.NEWS_FEED_STRONG,
    "bh-conflict-teammate": A.CONFLICT_STRONG,
    "bh-production-incident": A.INCIDENT_STRONG,
}
WEAK = {
    "sd-url-shortener": A.URL_SHORTENER_WEAK,
    "sd-rate-limiter": A.RATE_LIMITER_WEAK,
    "bh-conflict-teammate": A.CONFLICT_WEAK,
    "bh-production-incident": A.INCIDENT_WEAK,
}
NOTHING = {"off-topic": A.OFF_TOPIC, "filler": A.FILLER, "injection": A.INJECTION}


def test_thresholds_are_ordered() -> None:
    assert 0 < THIN < COVERED <= 1


@pytest.mark.parametrize("question_id", sorted(STRONG))
def test_strong_answers_cover_most_points(question_id: str) -> None:
    q = question(question_id)
    hits = analyse(q, STRONG[question_id])
    assert set(hits) == {p.id for p in q.talking_points}
    covered_weight = sum(p.weight for p in q.talking_points if hits[p.id].covered)
    assert covered_weight >= 0.8 * sum(p.weight for p in q.talking_points)
    units = {u for text in STRONG[question_id] for u in sentences(text)}
    for hit in hits.values():
        assert 0.0 <= hit.score <= 1.0
        assert hit.covered == (hit.score >= COVERED) and hit.thin == (THIN <= hit.score < COVERED)
        if hit.covered:
            assert hit.evidence in units  # evidence is something the candidate really said


def test_strong_answers_cover_the_deep_dive_points() -> None:
    url = analyse(question("sd-url-shortener"), A.URL_SHORTENER_STRONG)
    assert url["code_generation"].covered and url["caching"].covered and url["redirect_semantics"].covered
    assert "302" in url["redirect_semantics"].evidence
    limiter = analyse(question("sd-rate-limiter"), A.RATE_LIMITER_STRONG)
    assert limiter["algorithms"].covered and limiter["atomicity"].covered
    assert "Lua" in limiter["atomicity"].evidence
    feed = analyse(question("sd-news-feed"), A.NEWS_FEED_STRONG)
    assert feed["fanout"].covered and feed["feed_cache"].covered


@pytest.mark.parametrize("question_id", sorted(WEAK))
def test_weak_answers_cover_few_points(question_id: str) -> None:
    hits = analyse(question(question_id), WEAK[question_id])
    assert sum(h.covered for h in hits.values()) <= 1
    assert sum(h.covered or h.thin for h in hits.values()) <= 3


# A spread of both banks (embedding every question's phrasings would cost the suite ~2 s of CPU).
SWEEP = [*STRONG, "sd-chat-messaging", "sd-payment-system", "bh-failure", "bh-mentoring", "bh-saying-no"]


@pytest.mark.parametrize("kind", sorted(NOTHING))
def test_off_topic_filler_and_injection_cover_nothing(kind: str) -> None:
    for q in map(question, SWEEP):
        hits = analyse(q, NOTHING[kind])
        touched = {p: h.score for p, h in hits.items() if h.covered or h.thin}
        assert not touched, f"{kind} touched {q.id}: {touched}"


def test_injection_inside_a_strong_answer_changes_nothing() -> None:
    q = question("sd-url-shortener")
    plain = analyse(q, A.URL_SHORTENER_STRONG)
    poisoned = analyse(q, [*A.URL_SHORTENER_STRONG[:5], *A.INJECTION, *A.URL_SHORTENER_STRONG[5:]])
    assert plain == poisoned
    assert not any(u in {s for t in A.INJECTION for s in sentences(t)} for u in candidate_units(A.INJECTION))


def test_a_question_floats_an_idea_without_making_the_point() -> None:
    q = question("sd-url-shortener")
    asked = analyse(q, ["Should I put a cache in front of the database and use base62 codes?"])
    assert asked["high_level"].thin and asked["code_generation"].score <= THIN
    assert not any(h.covered for h in asked.values())
    said = analyse(q, ["I'd put a cache in front of the database and use base62 codes."])
    assert said["high_level"].covered
    assert said["code_generation"].thin  # named, not explained: worth a follow-up


def test_clarifying_questions_cover_requirements() -> None:
    hits = analyse(
        question("sd-url-shortener"),
        ["Should users be able to pick a custom alias? And can links expire, or do they live forever?"],
    )
    assert hits["core_requirements"].covered
    assert hits["core_requirements"].evidence.endswith("?")


@pytest.mark.parametrize(
    "estimate", ["1e8 URLs a month", "100M urls per month", "a hundred million URLs every month"]
)
def test_numbers_in_any_notation_meet_the_phrasing(estimate: str) -> None:
    hit = analyse(question("sd-url-shortener"), [f"We should plan for {estimate}."])["scale_estimates"]
    assert hit.lexical == 1.0 and hit.covered


def test_missing_number_keeps_a_numbered_phrasing_from_counting() -> None:
    # "429 too many requests" is the API point; "too many requests" with no status code is not it
    said = "If there are too many requests from a user, block them."
    assert not analyse(question("sd-rate-limiter"), [said])["api"].covered


def test_paraphrases_without_the_bank_words() -> None:
    """The model carries meaning, not words: deep paraphrases are at least noticed (thin or better)
    for most points, and the related-but-off-point sentences never count as covered."""
    q = question("sd-url-shortener")
    paraphrases = {
        "scale_estimates": "Let's assume roughly two hundred new links each second and many thousands of lookups per second.",
        "api_design": "There would be one endpoint to create a link and another that resolves a code.",
        "code_generation": "To make codes I'd take an auto-incrementing number and convert it to letters and digits.",
        "redirect_semantics": "A permanent redirect is remembered by browsers, so we would stop seeing repeat visits.",
        "scaling_storage": "Split the mappings over many database nodes and keep copies of each.",
        "trade_offs": "People might abuse it to hide malicious links, so I'd throttle how fast accounts can make them.",
    }
    noticed = [p for p, text in paraphrases.items() if analyse(q, [text])[p].score >= THIN]
    assert len(noticed) >= 5, noticed
    near_misses = [
        "I would write it in Java because I know it well.",
        "We could use Kubernetes to deploy everything.",
        "The frontend would be a simple React page with one text box.",
        "Logging and metrics would go to our usual stack.",
        "Security is important for all services.",
    ]
    for text in near_misses:
        assert not any(h.covered for h in analyse(q, [text]).values()), text


def test_point_filter_and_determinism() -> None:
    q = question("bh-conflict-teammate")
    some = analyse(q, A.CONFLICT_STRONG, ["lesson", "outcome"])
    assert set(some) == {"lesson", "outcome"}
    assert some == {k: v for k, v in analyse(q, A.CONFLICT_STRONG).items() if k in some}
    assert analyse(q, A.CONFLICT_STRONG) == analyse(q, list(A.CONFLICT_STRONG))


def test_empty_input() -> None:
    hits = analyse(question("sd-news-feed"), [])
    assert all(h.score == 0.0 and h.evidence == "" and not h.covered for h in hits.values())
