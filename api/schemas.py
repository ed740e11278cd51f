"""Request and response bodies of the REST API (distinct from the ORM tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, EmailStr, Field

SessionTypeName = Literal["system_design", "coding", "behavioral"]
LevelName = Literal["mid", "senior", "staff"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Credentials(_Request):
    email: EmailStr = Field(max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class PasswordForm(BaseModel):
    """The OAuth2 password form on `/auth/token` (`username` is the e-mail)."""

    username: EmailStr = Field(max_length=320, validation_alias=AliasChoices("username", "email"))
    password: str = Field(min_length=1, max_length=1024)


class ErrorOut(BaseModel):
    """Every error body; `details` lists each problem of an invalid body."""

    error: str
    details: list[str] | None = None


class HealthOut(BaseModel):
    status: Literal["ok"]


class UserOut(BaseModel):
    id: str
    email: str


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class CreateSession(_Request):
    type: SessionTypeName
    duration_minutes: int = 45
    question_id: str | None = Field(default=None, max_length=80)
    level: LevelName | None = None


class QuestionBrief(BaseModel):
    id: str
    type: SessionTypeName
    title: str
    level: LevelName


class QuestionDetail(QuestionBrief):
    prompt: str
    starter_code: dict[str, str] | None = None


class SessionOut(BaseModel):
    id: str
    type: SessionTypeName
    status: Literal["created", "in_progress", "completed", "expired"]
    level: LevelName
    duration_minutes: int
    created_at: datetime
    start_time: datetime | None
    end_time: datetime | None
    deadline: datetime | None
    remaining_seconds: int | None
    end_reason: str | None
    question: QuestionDetail | None
    overall_score: int | None = None


class MessageOut(BaseModel):
    id: int
    sender: Literal["ai", "user"]
    kind: Literal["chat", "nudge"]
    text: str
    created_at: datetime
    client_id: str | None


class DrawingElement(BaseModel):
    """One Excalidraw element: an id and a type are required, every other field is kept as sent."""

    model_config = ConfigDict(extra="allow")

    id: str
    type: str


class DrawingIn(_Request):
    """An Excalidraw scene; elements are checked for shape, not for every Excalidraw field."""

    model_config = ConfigDict(extra="ignore")

    type: str | None = None
    elements: list[DrawingElement]
    appState: dict[str, Any] = Field(default_factory=dict)
    files: dict[str, Any] = Field(default_factory=dict)


class DrawingOut(BaseModel):
    id: int
    elements: list[dict[str, Any]]
    appState: dict[str, Any]
    files: dict[str, Any]
    saved_at: datetime
