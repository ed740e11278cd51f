#!/usr/bin/env bash
# make run: the whole product on one machine, on its embedded defaults (SQLite under var/).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python ""
ensure_redis
migrate
if [ -f frontend/package.json ]; then scripts/frontend.sh build; fi
if engine_host="$(scripts/engine.sh ensure 2>var/engine.log | tail -1)" && [ -n "$engine_host" ]; then
  export DOCKER_HOST="$engine_host"
else
  log "no container engine (see var/engine.log): code runs will answer with an engine error"
fi
log "Rehearse on http://${REHEARSE_HOST:-127.0.0.1}:${REHEARSE_PORT:-8000}"
exec honcho start -f Procfile
