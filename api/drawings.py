"""The system-design diagram: an Excalidraw scene per save, the latest one is current."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.body import parse
from api.errors import ApiError
from api.presenters import drawing_out
from api.schemas import DrawingIn
from api.sessions import load_owned
from api.state import runtime_of, state_of, user_id_of
from models import lifecycle
from models.db import utcnow
from models.drawing import Drawing

# Only what restores the view; collaborators, selection and the like are not kept.
_KEPT_APP_STATE = {
    "viewBackgroundColor",
    "gridSize",
    "gridModeEnabled",
    "scrollX",
    "scrollY",
    "zoom",
    "theme",
}


def validate_scene(scene: DrawingIn, max_elements: int) -> dict[str, Any]:
    if len(scene.elements) > max_elements:
        raise ApiError(422, f"elements: at most {max_elements} elements")
    app_state = {k: v for k, v in scene.appState.items() if k in _KEPT_APP_STATE}
    elements = [element.model_dump() for element in scene.elements]
    return {"elements": elements, "appState": app_state, "files": scene.files}


async def save_drawing(request: Request) -> JSONResponse:
    """
    ---
    summary: Save an Excalidraw scene; the latest save is the current diagram
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/DrawingIn"}
    responses:
      "201":
        description: the saved scene
        content:
          application/json:
            schema: {$ref: "#/components/schemas/DrawingOut"}
      "409": error
    """
    settings = state_of(request).settings
    scene = await parse(request, DrawingIn, settings.drawing_max_bytes)
    clean = validate_scene(scene, settings.drawing_max_elements)
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def save() -> dict[str, Any]:
        with runtime_of(request).db.unit_of_work() as work:
            session = load_owned(work.session, session_id, user_id, for_update=True)
            lifecycle.ensure_accepting_input(session, utcnow())
            drawing = Drawing(session_id=session.id, scene=clean)
            work.session.add(drawing)
            work.session.flush()
            return drawing_out(drawing)

    return JSONResponse(await run_in_threadpool(save), status_code=201)


async def latest_drawing(request: Request) -> Response:
    """
    ---
    summary: The latest saved scene (204 before the first save, a normal state for a new session)
    responses:
      "200":
        description: the scene
        content:
          application/json:
            schema: {$ref: "#/components/schemas/DrawingOut"}
      "204":
        description: nothing saved yet
    """
    session_id = request.path_params["session_id"]
    user_id = user_id_of(request)

    def read() -> dict[str, Any] | None:
        with runtime_of(request).db.unit_of_work() as work:
            load_owned(work.session, session_id, user_id)
            query = (
                select(Drawing).where(Drawing.session_id == session_id).order_by(Drawing.id.desc()).limit(1)
            )
            drawing = work.session.scalars(query).first()
            return drawing_out(drawing) if drawing else None

    out = await run_in_threadpool(read)
    if out is None:
        return Response(status_code=204)
    return JSONResponse(out)


routes = [
    Route("/sessions/{session_id}/drawing", save_drawing, methods=["POST"]),
    Route("/sessions/{session_id}/drawing", latest_drawing, methods=["GET"]),
]
