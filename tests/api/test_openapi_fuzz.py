"""Schemathesis against the app under uvicorn: every operation, with a real user's token.

No answer may be a 5xx, and every answer must be one the document declares, with a body and
content type that match it. Bounded (a few positive and negative examples per operation) so it
fits in CI. The operations are driven through Hypothesis directly (`APIOperation.as_strategy`):
schemathesis's pytest plugin cannot take a fixture's schema on pytest 9.2 (it sets the removed
`Item._nodeid`).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

EXAMPLES_PER_MODE = 5


# ~15 s per database engine on an idle 2-core machine; most of it is argon2 on the auth routes.
@pytest.mark.timeout(150)
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")  # schemathesis's own
def test_every_operation_answers_as_documented(live_server: str) -> None:
    user = _user_with_a_session(f"http://{live_server}")
    config = schemathesis.Config.from_dict(
        {
            "auth": {"openapi": {"bearer": {"bearer": user["token"]}}},
            "checks": {
                # Data that fits the document can still break a rule it does not express (a
                # question id from the bank, of the session's type; no NUL character in any
                # text): that is a 422, not a bug.
                "positive_data_acceptance": {"enabled": False},
                # 413 is how an over-long field is refused before it is even parsed.
                "negative_data_rejection": {"expected-statuses": [400, 401, 404, 405, 409, 413, 422, 429]},
            },
        }
    )
    schema = schemathesis.openapi.from_url(f"http://{live_server}/openapi.json", config=config)
    # State changes (start, end) last, so the other operations also meet a session in progress.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda op: op.method == "PATCH"
    )
    assert len(operations) >= 15, [op.label for op in operations]
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, user)
            except Unsatisfiable:  # nothing to break: no parameter and no body
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, not the first
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: Any, mode: GenerationMode, user: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        _call_and_validate(case, user)

    check()


def _call_and_validate(case: Any, user: dict[str, str]) -> None:
    case.call_and_validate(timeout=30)
    # Again on the user's own session: the same input, past the ownership check. A code run is
    # left out: on a started session it would run the fuzzed program in a container.
    runs_code = (case.method, case.operation.path) == ("POST", "/sessions/{session_id}/code")
    if "session_id" in (case.path_parameters or {}) and not runs_code:
        case.path_parameters = {**case.path_parameters, "session_id": user["session_id"]}
        case.call_and_validate(timeout=30)


def _user_with_a_session(base: str) -> dict[str, str]:
    """A user with a session in progress, so fuzzed ids sometimes meet a real row."""
    email = f"fuzz-{uuid.uuid4().hex[:12]}@example.com"
    credentials = {"email": email, "password": "correct horse battery"}
    assert httpx.post(f"{base}/auth/register", json=credentials).status_code == 201
    token = httpx.post(f"{base}/auth/token", json=credentials).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    session = httpx.post(f"{base}/sessions", json={"type": "system_design"}, headers=headers).json()
    assert httpx.patch(f"{base}/sessions/{session['id']}/start", headers=headers).status_code == 200
    return {"token": token, "session_id": session["id"]}
