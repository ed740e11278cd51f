"""The question bank, listed for pickers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.errors import ApiError
from api.schemas import QuestionBrief
from models.bank import load_banks

_TYPES = ("system_design", "coding", "behavioral")


async def list_questions(request: Request) -> JSONResponse:
    """
    ---
    summary: The question bank, optionally of one interview type
    parameters:
      - name: type
        in: query
        required: false
        schema: {type: string, enum: [system_design, coding, behavioral]}
    responses:
      "200":
        description: the questions
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/QuestionBrief"}}
      "422": error
    """
    wanted = request.query_params.get("type")
    if wanted is not None and wanted not in _TYPES:
        raise ApiError(422, f"type must be one of {', '.join(_TYPES)}")
    questions = [q for q in load_banks().values() if wanted is None or q.type == wanted]
    briefs = [QuestionBrief(id=q.id, type=q.type, title=q.title, level=q.level) for q in questions]
    return JSONResponse([b.model_dump() for b in briefs])


routes = [Route("/questions", list_questions, methods=["GET"])]
