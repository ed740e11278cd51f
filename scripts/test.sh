#!/usr/bin/env bash
# make test: installs and starts everything the tests need on a fresh machine, then runs them all.
# A missing service is a failure, never a skip.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python "[dev]"
ensure_redis
ensure_postgres
log "lint"
ruff check .
log "Python tests (SQLite and PostgreSQL, Redis, Dramatiq workers)"
pytest "$@"
