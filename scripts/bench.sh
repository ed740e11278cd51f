#!/usr/bin/env bash
# make bench: every benchmark under bench/, each writing its section of docs/benchmarks.md.
# Run on a quiet machine: the figures are only as good as the machine is idle.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python "[dev]"
ensure_redis
ensure_postgres
DOCKER_HOST="$(scripts/engine.sh ensure | tail -1)" || die "the code-run benchmarks need a container engine"
export DOCKER_HOST
for bench in interviewer_turn analysis code_run chat_latency feedback load; do
  if [ -f "bench/$bench.py" ]; then
    log "bench/$bench.py"
    "$PY" -m "bench.$bench"
  fi
done
