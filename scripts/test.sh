#!/usr/bin/env bash
# make test: installs and starts everything the tests need on a fresh machine, then runs them all.
# A missing service is a failure, never a skip.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python "[dev]"
ensure_redis
ensure_postgres
log "container engine (Docker, or podman's Docker-compatible service)"
DOCKER_HOST="$(scripts/engine.sh ensure | tail -1)" || die "no container engine: the sandbox tests need one"
export DOCKER_HOST
log "lint, format and types (make check)"
scripts/check.sh
scripts/frontend.sh test
log "the frontend's event types still match models/events.py"
"$PY" scripts/gen_event_types.py --check
log "Python tests (SQLite and PostgreSQL, Redis, Dramatiq workers, containers)"
# A bound on the whole run: a hang ends red, in time, with every thread's stack (faulthandler
# dumps on SIGABRT), instead of running CI over its limit. The suite takes 4-8 minutes.
timeout --signal=ABRT --kill-after=30 "${PYTEST_WALL_LIMIT:-30m}" pytest "$@"
log "end-to-end: the whole product in a real browser"
scripts/e2e.sh
