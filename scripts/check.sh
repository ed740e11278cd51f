#!/usr/bin/env bash
# make check: lint and types.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python "[dev]"
ruff check .
ruff format --check .
mypy models api workers timers config.py
