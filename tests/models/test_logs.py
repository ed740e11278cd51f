"""JSON log lines: the request and session they belong to, and no secret in any field."""

from __future__ import annotations

import json
import logging
import sys

from models.logs import Formatter, configure_logging, log_context, redact

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl"


def test_redact_finds_tokens_and_passwords_in_the_shapes_they_come_in() -> None:
    cases = {
        f"GET /ws/s1?token={JWT}&last_event_id=1-0": "GET /ws/s1?token=[redacted]&last_event_id=1-0",
        "GET /x?access_token=abc123": "GET /x?access_token=[redacted]",
        "Authorization: Bearer abc.def": "Authorization: Bearer [redacted]",
        "username=a%40b.c&password=hunter2&grant_type=password": "username=a%40b.c&password=[redacted]&grant_type=password",
        "{'email': 'a@b.c', 'password': 'two words'}": "{'email': 'a@b.c', 'password': [redacted]}",
        '{"password": "hunter2"}': '{"password": [redacted]}',
        f"a token {JWT} in free text": "a token [redacted] in free text",
    }
    for raw, clean in cases.items():
        assert redact(raw) == clean


def test_a_record_is_a_json_line_with_its_context_and_no_secret(caplog) -> None:  # type: ignore[no-untyped-def]
    configure_logging()
    caplog.set_level(logging.INFO)
    log = logging.getLogger("rehearse.test")
    with log_context(request="r-1", session="s-1"):
        log.info("login %s", {"email": "a@b.c", "password": "hunter2"}, extra={"password": "hunter2", "n": 3})
    log.info("after the block")
    during, after = caplog.records[-2:]
    assert "hunter2" not in during.getMessage()  # clean for every handler, not only ours
    line = json.loads(Formatter().format(during))
    assert line["request_id"] == "r-1" and line["session_id"] == "s-1" and line["n"] == 3
    assert line["password"] == "[redacted]" and "hunter2" not in json.dumps(line)
    assert {"time", "level", "logger", "message"} <= line.keys()
    assert json.loads(Formatter().format(after))["request_id"] is None


def test_a_traceback_is_scrubbed_too() -> None:
    try:
        raise ValueError(f"bad token={JWT}")
    except ValueError:
        record = logging.LogRecord(
            "rehearse.test", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    line = json.loads(Formatter().format(record))
    assert JWT not in json.dumps(line) and "token=[redacted]" in line["exc_info"]
