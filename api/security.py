"""Password hashing (argon2) and bearer tokens (JWT via joserfc, the JOSE library Authlib now ships on)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.requests import HTTPConnection

_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown keeps the response time the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class TokenService:
    _claims = jwt.JWTClaimsRegistry(exp={"essential": True}, sub={"essential": True})

    def __init__(self, secret: bytes, ttl_seconds: int) -> None:
        self._key = OctKey.import_key(secret)
        self.ttl_seconds = ttl_seconds

    def issue(self, user_id: str) -> str:
        now = int(time.time())
        claims = {"sub": user_id, "iat": now, "exp": now + self.ttl_seconds}
        return jwt.encode({"alg": "HS256"}, claims, self._key)

    def subject(self, token: str) -> str | None:
        """The user id of a valid, unexpired token; None for anything else."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
            self._claims.validate(decoded.claims)
        except (JoseError, ValueError):
            return None
        sub = decoded.claims.get("sub")
        return sub if isinstance(sub, str) else None


@dataclass(frozen=True)
class AuthenticatedUser(BaseUser):
    id: str

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.id


class BearerTokenBackend(AuthenticationBackend):
    """`Authorization: Bearer …`; for WebSockets, which cannot set headers in a browser, `?token=`."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        token = _bearer(conn.headers.get("authorization", ""))
        if token is None and conn.scope["type"] == "websocket":
            token = conn.query_params.get("token")
        if not token:
            return None
        user_id = conn.state.rehearse.tokens.subject(token)
        if user_id is None:
            return None
        return AuthCredentials(["authenticated"]), AuthenticatedUser(user_id)


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
