"""Registration and tokens."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.body import ensure_declared_size, read_json
from api.errors import ApiError
from api.schemas import Credentials, PasswordForm, TokenOut, UserOut
from api.security import hash_password, verify_password
from api.state import runtime_of, state_of
from models.user import User

_MAX_BODY = 8192


async def register(request: Request) -> JSONResponse:
    """
    ---
    summary: Create an account
    security: []
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Credentials"}
    responses:
      "201":
        description: the new account
        content:
          application/json:
            schema: {$ref: "#/components/schemas/UserOut"}
      "409": error
      "429": error
    """
    state = state_of(request)
    state.limits.hit(state.settings.rate_auth_attempts, "auth", _client_address(request))
    creds = Credentials.model_validate(await read_json(request, _MAX_BODY))
    if len(creds.password) < state.settings.password_min_length:
        raise ApiError(422, f"password: at least {state.settings.password_min_length} characters")
    password_hash = await run_in_threadpool(hash_password, creds.password)

    def create() -> User:
        with runtime_of(request).db.unit_of_work() as work:
            user = User(email=creds.email.lower(), password_hash=password_hash)
            work.session.add(user)
            work.session.flush()
            return user

    try:
        user = await run_in_threadpool(create)
    except IntegrityError:
        raise ApiError(409, "an account with this e-mail already exists") from None
    return JSONResponse(UserOut(id=user.id, email=user.email).model_dump(), status_code=201)


async def token(request: Request) -> JSONResponse:
    """
    ---
    summary: Exchange an e-mail and password for a bearer token
    security: []
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Credentials"}
        application/x-www-form-urlencoded:
          schema: {$ref: "#/components/schemas/PasswordForm"}
    responses:
      "200":
        description: a bearer token
        content:
          application/json:
            schema: {$ref: "#/components/schemas/TokenOut"}
      "401": error
      "429": error
    """
    state = state_of(request)
    state.limits.hit(state.settings.rate_auth_attempts, "auth", _client_address(request))
    creds = await _credentials(request)

    def check() -> str | None:
        with runtime_of(request).db.unit_of_work() as work:
            user = work.session.scalars(select(User).where(User.email == creds.email.lower())).first()
            ok = verify_password(user.password_hash if user else None, creds.password)
            return user.id if user and ok else None

    user_id = await run_in_threadpool(check)
    if user_id is None:
        raise ApiError(401, "wrong e-mail or password")
    out = TokenOut(access_token=state.tokens.issue(user_id), expires_in=state.tokens.ttl_seconds)
    return JSONResponse(out.model_dump())


async def _credentials(request: Request) -> Credentials:
    """JSON `{email, password}`, or the OAuth2 password form (`username`, `password`)."""
    content_type = request.headers.get("content-type", "")
    try:
        if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return Credentials.model_validate(await read_json(request, _MAX_BODY))
        ensure_declared_size(request, _MAX_BODY)
        async with request.form(max_files=0, max_fields=10) as form:
            fields = PasswordForm.model_validate(dict(form))
        return Credentials(email=fields.username, password=fields.password)
    except ValidationError:
        raise ApiError(422, "email and password are required") from None


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


routes = [
    Route("/auth/register", register, methods=["POST"]),
    Route("/auth/token", token, methods=["POST"]),
]
