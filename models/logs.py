"""Structured logs for the web tier and every pool: JSON lines on stderr, never a secret.

Every record carries the `request_id` and `session_id` of the work it belongs to (contextvars: the
web tier sets them per request or socket, the pools per message). Secrets are scrubbed twice: when
a record is created (so every handler, uvicorn's and a test's `caplog` included, sees the clean
text) and when it is formatted (extra fields and tracebacks). uvicorn logs a WebSocket handshake
with its query string, which carries `?token=`; that is why the first pass exists.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
session_id: ContextVar[str | None] = ContextVar("session_id", default=None)

REDACTED = "[redacted]"
_SECRET_PATTERNS = [
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*"), REDACTED),  # any JWT, wherever it appears
    (re.compile(r"(?i)(token=)[^&\s\"']+"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)(bearer\s+)[^\s\"',]+"), rf"\1{REDACTED}"),
    (
        re.compile(r"(?i)(password\\?[\"']?\s*[:=]\s*)(\\?\"[^\"\\]*\\?\"|'[^']*'|[^\s,&}]+)"),
        rf"\1{REDACTED}",
    ),
]
_SECRET_KEYS = {"password", "token", "access_token", "authorization", "jwt_secret", "llm_api_key"}
_HANDLER_NAME = "rehearse-json"


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class Formatter(JsonFormatter):
    """One JSON object per line; extra fields named like a secret are dropped to `[redacted]`."""

    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message", "request_id", "session_id"],
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: _scrub(key, value) for key, value in log_data.items() if key != "color_message"}


def _scrub(key: str, value: Any) -> Any:
    if key.lower() in _SECRET_KEYS:
        return REDACTED
    return redact(value) if isinstance(value, str) else value


_base_factory = logging.getLogRecordFactory()


def _record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.request_id = request_id.get()
    record.session_id = session_id.get()
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when the record is emitted
        return record
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    return record


def configure_logging(level: int = logging.INFO, *, reuse_handlers: bool = False) -> None:
    """JSON lines for this process; safe to call more than once.

    `reuse_handlers`: a Dramatiq worker process already has a handler (its pipe to the main
    process, which writes to stderr); it only gets our formatter. Otherwise one stderr handler is
    added to the root logger, and uvicorn's loggers are routed through it.
    """
    logging.setLogRecordFactory(_record_factory)
    root = logging.getLogger()
    root.setLevel(level)
    if reuse_handlers:
        for handler in root.handlers:
            handler.setFormatter(Formatter())
        return
    if not any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(Formatter())
        root.addHandler(handler)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        if not uvicorn_logger.propagate and not uvicorn_logger.handlers:
            continue  # `--no-access-log` switched it off: keep it off
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True


@contextmanager
def log_context(*, request: str | None = None, session: str | None = None) -> Iterator[None]:
    """Tag every record logged inside the block (and in tasks started from it)."""
    request_token = request_id.set(request) if request is not None else None
    session_token = session_id.set(session) if session is not None else None
    try:
        yield
    finally:
        if session_token is not None:
            session_id.reset(session_token)
        if request_token is not None:
            request_id.reset(request_token)
