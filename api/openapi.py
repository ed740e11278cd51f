"""The OpenAPI document at `/openapi.json`, built from the routes themselves.

Each endpoint's docstring carries its operation as YAML after `---` (Starlette's
`SchemaGenerator`); the bodies are `$ref`s to components generated from the same pydantic models
the handlers validate and answer with. What follows from a route's shape is added here rather
than repeated in every docstring: path parameters, 401 for an operation behind the bearer token,
404 for a path with an id, and 400/413/422 for an operation that takes a JSON body.
`tests/api/test_openapi.py` fails when a REST route has no operation.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.schemas import SchemaGenerator

from api import code, schemas
from config import Settings
from models import report
from models.events import CodeResultData

_REQUEST_MODELS: list[type[BaseModel]] = [
    schemas.Credentials,
    schemas.PasswordForm,
    schemas.CreateSession,
    schemas.DrawingIn,
    code.RunRequest,
]
_RESPONSE_MODELS: list[type[BaseModel]] = [
    schemas.ErrorOut,
    schemas.HealthOut,
    schemas.UserOut,
    schemas.TokenOut,
    schemas.QuestionBrief,
    schemas.SessionOut,
    schemas.MessageOut,
    schemas.DrawingOut,
    CodeResultData,
    code.CodeRunOut,
    code.RunPending,
    report.Report,
    report.Progress,
]
_PATH_PARAMETERS: dict[str, dict[str, Any]] = {"session_id": {"type": "string", "format": "uuid"}}
_ERRORS = {
    "400": ("BadRequest", "the body is not JSON"),
    "401": ("Unauthorized", "no valid bearer token"),
    "404": ("NotFound", "no such resource, or not yours"),
    "409": ("Conflict", "not allowed in the session's current state"),
    "413": ("PayloadTooLarge", "the body (or a field of it) is over its size cap"),
    "422": ("Unprocessable", "the body or a query parameter is invalid (text with a NUL character too)"),
    "429": ("TooManyRequests", "over a rate limit; retry after `Retry-After` seconds"),
    "500": ("InternalError", "the server could not produce it (e.g. a report that failed for good)"),
    "503": (
        "ServiceUnavailable",
        "the database or Redis does not answer, or a failed report awaits its retry",
    ),
}


def build_document(routes: list[BaseRoute], settings: Settings) -> dict[str, Any]:
    generator = SchemaGenerator(
        {
            "openapi": "3.1.0",
            "info": {"title": "Rehearse", "version": "1", "description": "The REST API of Rehearse."},
            "security": [{"bearer": []}],
            "components": _components(settings),
        }
    )
    document = generator.get_schema(routes)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            _complete(path, operation)
    return document


def openapi_endpoint(
    routes: list[BaseRoute], settings: Settings
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The `/openapi.json` endpoint, built on its first call: by then `routes` holds every route."""
    document: dict[str, Any] = {}

    async def openapi_json(request: Request) -> JSONResponse:
        """
        ---
        summary: This document
        security: []
        responses:
          "200":
            description: the OpenAPI 3.1 document
            content:
              application/json:
                schema: {type: object}
        """
        if not document:  # the routes are fixed once the app is built
            document.update(build_document(routes, settings))
        return JSONResponse(document)

    return openapi_json


def _components(settings: Settings) -> dict[str, Any]:
    models = [(m, "validation") for m in _REQUEST_MODELS] + [(m, "serialization") for m in _RESPONSE_MODELS]
    _keys, top = models_json_schema(models, ref_template="#/components/schemas/{model}")  # type: ignore[arg-type]
    components: dict[str, Any] = top["$defs"]
    duration = components["CreateSession"]["properties"]["duration_minutes"]
    duration.update(minimum=settings.session_min_minutes, maximum=settings.session_max_minutes)
    components["DrawingIn"]["properties"]["elements"]["maxItems"] = settings.drawing_max_elements
    components["Credentials"]["properties"]["password"]["minLength"] = settings.password_min_length
    error = {"$ref": "#/components/schemas/ErrorOut"}
    responses = {
        name: {"description": description, "content": {"application/json": {"schema": error}}}
        for name, description in _ERRORS.values()
    }
    responses["TooManyRequests"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return {
        "schemas": components,
        "responses": responses,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
    }


def _complete(path: str, operation: dict[str, Any]) -> None:
    names = re.findall(r"{(\w+)}", path)
    declared = {p.get("name") for p in operation.get("parameters", [])}
    operation["parameters"] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": _PATH_PARAMETERS.get(name, {"type": "string"}),
        }
        for name in names
        if name not in declared
    ] + operation.get("parameters", [])
    if not operation["parameters"]:
        del operation["parameters"]
    statuses = set()
    if operation.get("security", [{}]):
        statuses.add("401")
    if names:
        statuses.add("404")
    if "requestBody" in operation:
        statuses |= {"400", "413", "422"}
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses.setdefault(status, {"$ref": f"#/components/responses/{_ERRORS[status][0]}"})
    for status, response in responses.items():
        if response == "error":  # shorthand in a docstring: the standard error response
            responses[status] = {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}
    operation["responses"] = dict(sorted(responses.items()))
