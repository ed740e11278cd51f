"""The OpenAPI document covers every REST route and only points at things it defines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient


def _rest_operations(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        if isinstance(route, Mount):
            yield from _rest_operations(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            path = re.sub(r":\w+}", "}", prefix + route.path)
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                yield path, method.lower()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_rest_route_is_documented(client: TestClient) -> None:
    response = client.get("/openapi.json")  # public: no token
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    operations = list(_rest_operations(client.app.routes))  # type: ignore[attr-defined]
    assert ("/sessions/{session_id}", "get") in operations
    missing = [
        f"{method.upper()} {path}"
        for path, method in operations
        if method not in document["paths"].get(path, {})
    ]
    assert not missing, f"routes without an operation (a YAML docstring after `---`): {missing}"


def test_every_reference_resolves(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for ref in set(_refs(document)):
        node = document
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_operations_say_who_may_call_them_and_how_they_fail(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    login = document["paths"]["/auth/token"]["post"]
    assert login["security"] == [] and "401" in login["responses"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(login["requestBody"]["content"])
    save = document["paths"]["/sessions/{session_id}/drawing"]["post"]
    assert "security" not in save  # the document's default: the bearer token
    assert {"400", "401", "404", "409", "413", "422"} <= set(save["responses"])
    assert save["parameters"][0] == {
        "name": "session_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    error = document["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOut"}
    duration = document["components"]["schemas"]["CreateSession"]["properties"]["duration_minutes"]
    assert (duration["minimum"], duration["maximum"]) == (
        settings.session_min_minutes,
        settings.session_max_minutes,
    )
