from __future__ import annotations

import time

from joserfc import jwt
from joserfc.jwk import OctKey
from starlette.testclient import TestClient

from config import Settings


def test_register_then_token(client: TestClient) -> None:
    created = client.post(
        "/auth/register", json={"email": "Ada@Example.com", "password": "analytical engine"}
    )
    assert created.status_code == 201
    assert created.json()["email"] == "ada@example.com"
    token = client.post("/auth/token", json={"email": "ada@example.com", "password": "analytical engine"})
    assert token.status_code == 200
    body = token.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and body["access_token"].count(".") == 2


def test_register_twice_is_a_conflict(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    again = client.post("/auth/register", json={"email": user["email"], "password": "another password"})
    assert again.status_code == 409
    assert "already exists" in again.json()["error"]


def test_register_rejects_bad_input(client: TestClient) -> None:
    assert (
        client.post("/auth/register", json={"email": "not-an-email", "password": "long enough"}).status_code
        == 422
    )
    short = client.post("/auth/register", json={"email": "short@example.com", "password": "abc"})
    assert short.status_code == 422 and "8 characters" in short.json()["error"]
    malformed = client.post(
        "/auth/register", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400 and "malformed JSON" in malformed.json()["error"]


def test_oauth2_password_form(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(password="form password")
    response = client.post("/auth/token", data={"username": user["email"], "password": "form password"})
    assert response.status_code == 200 and response.json()["access_token"]


def test_bad_credentials_are_401(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    wrong = client.post("/auth/token", json={"email": user["email"], "password": "wrong password"})
    unknown = client.post("/auth/token", json={"email": "nobody@example.com", "password": "whatever1"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"error": "wrong e-mail or password"}


def test_routes_need_a_valid_token(client: TestClient, settings: Settings, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    assert client.get("/sessions").status_code == 401
    assert client.get("/sessions").json() == {"error": "authentication required"}
    forged_key = OctKey.import_key(b"not the server key, but long enough to be a key")
    forged = jwt.encode({"alg": "HS256"}, {"sub": "someone", "exp": int(time.time()) + 60}, forged_key)
    assert client.get("/sessions", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    real_key = OctKey.import_key(settings.jwt_key())
    expired = jwt.encode({"alg": "HS256"}, {"sub": "someone", "exp": int(time.time()) - 5}, real_key)
    assert client.get("/sessions", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    assert client.get("/sessions", headers={"Authorization": "Bearer garbage"}).status_code == 401
    assert client.get("/sessions", headers={"Authorization": user["Authorization"]}).status_code == 200
