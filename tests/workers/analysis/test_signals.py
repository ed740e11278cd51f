"""STAR parts through coverage, and the specificity counts of behavioral answers."""

from __future__ import annotations

from models.bank import STAR_PARTS
from tests.workers.analysis import answers as A
from tests.workers.analysis.bank import question
from workers.analysis.signals import specificity, star_parts


def test_strong_stories_have_every_star_part() -> None:
    for question_id, story in (
        ("bh-production-incident", A.INCIDENT_STRONG),
        ("bh-conflict-teammate", A.CONFLICT_STRONG),
    ):
        parts = star_parts(question(question_id), story)
        assert list(parts) == list(STAR_PARTS)
        assert all(part.covered for part in parts.values()), question_id
        assert {h.point_id for h in parts["action"].points} == {
            p.id for p in question(question_id).talking_points if p.phase == "action"
        }


def test_weak_and_off_topic_stories_miss_parts() -> None:
    weak = star_parts(question("bh-conflict-teammate"), A.CONFLICT_WEAK)
    assert sum(p.covered for p in weak.values()) <= 1
    off = star_parts(question("bh-production-incident"), A.OFF_TOPIC + A.FILLER + A.INJECTION)
    assert not any(p.covered for p in off.values())
    assert all(p.score < 0.35 for p in off.values())


def test_specific_story_counts() -> None:
    s = specificity(
        "Last March I was on call when checkout failed. I rolled back the deploy within ten minutes, "
        "then I traced it to a pool size that had been halved. We lost about 2,000 orders, roughly "
        "$40k, and I cut p99 latency by 30% afterwards. Two weeks later I wrote the postmortem."
    )
    assert s.numbers >= 4  # ten, halved, 2,000, $40k, 30% (two weeks)
    assert s.metrics >= 3  # ten minutes, $40k, 30%, two weeks
    assert s.time_expressions >= 3  # last march, within ten minutes, two weeks later
    assert s.action_verbs >= 4  # rolled, traced, cut, wrote
    assert s.i_count == 5 and s.we_count == 1
    assert s.i_share is not None and s.i_share > 0.8
    assert s.hedges == 0


def test_vague_story_counts() -> None:
    s = specificity(
        "I think we kind of fixed it, probably. We did a lot of things as a team and maybe we shipped it."
    )
    assert s.numbers == 0 and s.metrics == 0 and s.time_expressions == 0
    assert s.hedges == 4  # i think, kind of, probably, maybe
    assert s.we_count == 3 and s.i_count == 1
    assert s.i_share == 0.25


def test_edge_cases_and_determinism() -> None:
    empty = specificity("")
    assert empty.words == 0 and empty.i_share is None
    text = " ".join(A.INCIDENT_STRONG)
    assert specificity(text) == specificity(text)
