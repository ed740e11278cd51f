"""Excalidraw scenes drawn by hand, read and matched against the real bank's design specs."""

from __future__ import annotations

import json
from typing import Any

from models.bank import DesignSpec
from tests.workers.analysis.bank import question as get_question
from tests.workers.analysis.scenes import arrow, box, scene, text
from workers.analysis.diagram import describe, match, summarise


def _design(question_id: str) -> DesignSpec:
    design = get_question(question_id).design
    assert design is not None
    return design


def _url_shortener_scene() -> dict[str, Any]:
    """Client -> LB -> app servers -> Redis / Postgres / ZooKeeper, drawn left to right."""
    deleted_kafka = box("kafka", "Kafka", 900, 400) + arrow("gone", (660, 170), (900, 420), "app", "kafka")
    for element in deleted_kafka:
        element["isDeleted"] = True
    return scene(
        box("client", "Browser", 0, 100, kind="ellipse"),
        box("lb", "Load Balancer (nginx)", 250, 100),
        box("app", "App Servers x3", 500, 100),
        box("redis", "Redis cache", 800, 0),
        box("db", "Postgres", 800, 200, kind="diamond"),
        box("zk", "ZooKeeper", 500, 300),
        box("cdn", "CDN", 0, 400),
        deleted_kafka,
        arrow("a1", (160, 140), (250, 140), "client", "lb", label="GET /{code}"),
        arrow("a2", (410, 140), (500, 140), "lb", "app"),
        arrow("a3", (660, 120), (800, 40), "app", "redis"),
        arrow("a4", (660, 160), (800, 240), "app", "db"),
        arrow("a5", (580, 180), (580, 300), "app", "zk"),
    )


def test_summary_reads_bound_labels_and_arrow_bindings() -> None:
    summary = summarise(_url_shortener_scene())
    labels = {s.id: s.label for s in summary.shapes}
    assert labels == {
        "client": "Browser",
        "lb": "Load Balancer (nginx)",
        "app": "App Servers x3",
        "redis": "Redis cache",
        "db": "Postgres",
        "zk": "ZooKeeper",
        "cdn": "CDN",
    }
    assert {s.id: s.type for s in summary.shapes}["db"] == "diamond"
    pairs = {(a.source_id, a.target_id) for a in summary.arrows}
    assert pairs == {("client", "lb"), ("lb", "app"), ("app", "redis"), ("app", "db"), ("app", "zk")}
    first = next(a for a in summary.arrows if a.id == "a1")
    assert (first.source_label, first.target_label, first.label) == (
        "Browser",
        "Load Balancer (nginx)",
        "GET /{code}",
    )


def test_deleted_elements_are_ignored() -> None:
    summary = summarise(_url_shortener_scene())
    assert "kafka" not in {s.id for s in summary.shapes}
    assert "gone" not in {a.id for a in summary.arrows}
    assert all("Kafka" not in s.label for s in summary.shapes)


def test_match_against_the_url_shortener_design() -> None:
    result = match(_design("sd-url-shortener"), summarise(_url_shortener_scene()))
    assert result.found == {
        "client": "Browser",
        "load_balancer": "Load Balancer (nginx)",
        "app_server": "App Servers x3",
        "cache": "Redis cache",
        "database": "Postgres",
        "id_generator": "ZooKeeper",
    }
    assert [c.id for c in result.missing] == ["analytics"]  # the deleted Kafka box does not count
    present = {(c.source, c.target) for c in result.connections_present}
    assert present == {
        ("client", "load_balancer"),
        ("load_balancer", "app_server"),
        ("app_server", "id_generator"),
        ("app_server", "cache"),
        ("app_server", "database"),
    }
    assert [(c.source, c.target) for c in result.connections_missing] == [("app_server", "analytics")]
    assert result.connections_reversed == []
    assert [s.label for s in result.unknown_shapes] == ["CDN"]
    assert [s.label for s in result.orphans] == ["CDN"]


def test_free_text_inside_or_beside_a_shape_labels_it() -> None:
    summary = summarise(
        scene(
            box("inside", None, 0, 0),
            [text("t1", "Redis", 40, 30)],  # typed over the box without binding
            box("beside", None, 300, 0),
            [text("t2", "Postgres", 300, 95)],  # just under the box, 15 px below its edge
            [text("t3", "Client", 1000, 1000)],  # far from everything: a node of its own
        )
    )
    labels = {s.id: (s.type, s.label) for s in summary.shapes}
    assert labels == {
        "inside": ("rectangle", "Redis"),
        "beside": ("rectangle", "Postgres"),
        "t3": ("text", "Client"),
    }


def test_text_found_only_through_the_containers_bound_elements() -> None:
    elements = box("svc", "Feed service", 0, 0)
    elements[1]["containerId"] = None  # an older export lost the back-reference
    summary = summarise(scene(elements))
    assert [s.label for s in summary.shapes] == ["Feed service"]


def test_unbound_arrow_ends_attach_to_the_nearest_shape() -> None:
    summary = summarise(
        scene(
            box("lb", "LB", 0, 0),
            box("app", "API server", 400, 0),
            arrow("near", (175, 40), (385, 40)),  # stops 15 px short of both boxes
            arrow("inside", (80, 40), (480, 40)),  # starts and ends inside the boxes
            arrow("loose", (170, 60), (380, 600)),  # leaves the LB, ends in empty space
            arrow("adrift", (1000, 1000), (1200, 1200)),  # touches nothing: dropped
        )
    )
    ends = {a.id: (a.source_id, a.target_id) for a in summary.arrows}
    assert ends["near"] == ("lb", "app")
    assert ends["inside"] == ("lb", "app")
    assert ends["loose"] == ("lb", None)
    assert "adrift" not in ends


def test_arrow_end_short_of_a_box_inside_a_region_reaches_the_box() -> None:
    summary = summarise(
        scene(
            box("vpc", "VPC", -100, -100, 900, 400),
            box("app", "App server", 0, 0),
            box("cache", "Redis", 400, 0),
            arrow("a", (170, 40), (390, 40)),  # both ends in the VPC, 10 px from the inner boxes
        )
    )
    assert [(a.source_id, a.target_id) for a in summary.arrows] == [("app", "cache")]


def test_arrow_bound_to_a_label_text_means_its_box() -> None:
    summary = summarise(
        scene(
            box("a", "Post service", 0, 0),
            box("b", "Kafka", 400, 0),
            arrow("x", (160, 40), (400, 40), "a-label", "b"),
        )
    )
    assert [(a.source_id, a.target_id) for a in summary.arrows] == [("a", "b")]


def test_direction_backwards_arrows_and_lines() -> None:
    design = _design("sd-url-shortener")
    summary = summarise(
        scene(
            box("lb", "Load balancer", 0, 0),
            box("app", "API server", 400, 0),
            box("db", "MySQL", 400, 300),
            # drawn from the app to the LB with the arrowhead at the start: the LB calls the app
            arrow("back", (400, 40), (160, 40), "app", "lb", heads=("arrow", None)),
            arrow("wrong_way", (480, 300), (480, 80), "db", "app"),  # database -> app server
        )
    )
    back = next(a for a in summary.arrows if a.id == "back")
    assert (back.source_id, back.target_id, back.directed) == ("lb", "app", True)
    result = match(design, summary)
    assert ("load_balancer", "app_server") in {(c.source, c.target) for c in result.connections_present}
    assert [(c.source, c.target) for c in result.connections_reversed] == [("app_server", "database")]

    undirected = summarise(
        scene(
            box("app", "API server", 0, 0),
            box("db", "MySQL", 0, 300),
            arrow("l", (80, 300), (80, 80), "db", "app", kind="line", heads=(None, None)),
        )
    )
    assert not undirected.arrows[0].directed
    assert match(design, undirected).connections_reversed == []


def test_longest_synonym_wins_graph_db_is_not_db() -> None:
    design = _design("sd-news-feed")
    summary = summarise(
        scene(
            box("g", "Graph DB", 0, 0),
            box("f", "Feed Cache (Redis)", 300, 0),
            box("fs", "Feed service", 600, 0),
            arrow("a", (600, 40), (460, 40), "fs", "f"),
        )
    )
    result = match(design, summary)
    assert result.found["graph_store"] == "Graph DB"
    assert "post_store" not in result.found  # "db" inside "graph db" is not the posts database
    assert result.found["feed_cache"] == "Feed Cache (Redis)"
    assert "post_store" in {c.id for c in result.missing}
    assert ("feed_service", "feed_cache") in {(c.source, c.target) for c in result.connections_present}


def test_trie_builder_is_not_the_trie() -> None:
    design = _design("sd-search-autocomplete")
    only_builder = match(design, summarise(scene(box("b", "Trie builder", 0, 0))))
    assert set(only_builder.found) == {"trie_builder"}
    both = match(design, summarise(scene(box("b", "Trie Builder", 0, 0), box("t", "In-memory trie", 300, 0))))
    assert both.found == {"trie_builder": "Trie Builder", "trie_store": "In-memory trie"}


def test_case_and_punctuation_do_not_matter() -> None:
    design = _design("sd-rate-limiter")
    summary = summarise(
        scene(
            box("g", "API-GATEWAY", 0, 0), box("r", "rate_limiter", 300, 0), box("s", "App Servers!", 600, 0)
        )
    )
    assert match(design, summary).found == {
        "api_gateway": "API-GATEWAY",
        "rate_limiter": "rate_limiter",
        "api_servers": "App Servers!",
    }


def test_one_box_can_hold_two_components() -> None:
    design = _design("sd-rate-limiter")
    summary = summarise(
        scene(
            box("g", "API gateway + rate limiter", 0, 0),
            box("r", "Redis", 300, 0),
            arrow("a", (160, 40), (300, 40), "g", "r"),
        )
    )
    result = match(design, summary)
    assert result.found["api_gateway"] == result.found["rate_limiter"] == "API gateway + rate limiter"
    present = {(c.source, c.target) for c in result.connections_present}
    assert ("api_gateway", "rate_limiter") in present  # drawn as one unit
    assert ("rate_limiter", "counter_store") in present


def test_orphans_and_unknown_shapes() -> None:
    design = _design("sd-url-shortener")
    summary = summarise(
        scene(
            box("app", "App server", 0, 0),
            box("cache", "Memcached", 300, 0),
            box("mystery", "Blockchain", 0, 300),
            box("blank", None, 300, 300),  # an unlabelled box is decoration, not an orphan
            arrow("a", (160, 40), (300, 40), "app", "cache"),
        )
    )
    result = match(design, summary)
    assert [s.label for s in result.orphans] == ["Blockchain"]
    assert [s.label for s in result.unknown_shapes] == ["Blockchain"]


def test_empty_and_malformed_scenes() -> None:
    empties: list[dict[str, Any]] = [
        {},
        {"elements": []},
        {"elements": None},
        {"elements": [{"type": "rectangle"}, "junk"]},
    ]
    for empty in empties:
        summary = summarise(empty)
        assert summary.shapes == [] and summary.arrows == []
        assert describe(summary) == "The diagram is empty."
    result = match(_design("sd-url-shortener"), summarise({}))
    assert result.found == {} and len(result.connections_missing) == len(
        _design("sd-url-shortener").connections
    )


def test_describe_is_compact_and_deterministic() -> None:
    raw = _url_shortener_scene()
    text_once = describe(summarise(raw))
    assert text_once == describe(summarise(json.loads(json.dumps(raw))))
    assert text_once.splitlines()[0].startswith("Boxes (7): ")
    assert '- "Browser" -> "Load Balancer (nginx)" [GET /{code}]' in text_once
    assert '- "App Servers x3" -> "ZooKeeper"' in text_once
    assert text_once.splitlines()[-1] == 'Not connected: "CDN"'
    assert len(text_once) < 600
