#!/usr/bin/env bash
# scripts/e2e.sh [test files...]: end-to-end tests, a real Chromium against the whole product.
#
# Starts every Procfile process like `make run`, but isolated: its own port, SQLite file, Redis
# namespace and var dir under a temporary directory, relaxed rate limits; then runs
# frontend/e2e/*.test.mjs with node's test runner and stops and removes everything, on every path.
# Screenshots land in frontend/e2e/screenshots/ (gitignored). E2E_KEEP=1 keeps the temporary dir.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python ""
ensure_redis
if [ ! -x /usr/bin/chromium ]; then log "installing chromium"; apt_install chromium; fi
scripts/frontend.sh build
engine_host="$(scripts/engine.sh ensure 2>/dev/null | tail -1)" || die "no container engine (scripts/engine.sh ensure): code runs need the sandbox"
[ -n "$engine_host" ] || die "scripts/engine.sh ensure printed no DOCKER_HOST"

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# honcho gives each Procfile line $PORT = base + 100 x its position (the pools' metrics ports): pick a
# base whose ports are all free, so a `make run` on the default 5000 range does not collide.
free_port_base() {
  "$PY" - "$(grep -c '^[a-z_]*:' Procfile)" <<'PY'
import random, socket, sys
lines = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(20000, 60000 - 100 * lines, 100)
    try:
        for port in range(base, base + 100 * lines, 100):
            with socket.socket() as probe:
                probe.bind(("0.0.0.0", port))
    except OSError:
        continue
    print(base)
    break
else:
    sys.exit("no free port range for honcho")
PY
}

TMP="$(mktemp -d /tmp/rehearse-e2e.XXXXXX)"
PORT="$(free_port)"
PORT_BASE="$(free_port_base)"
export DOCKER_HOST="$engine_host"
export REHEARSE_HOST=127.0.0.1 REHEARSE_PORT="$PORT"
export REHEARSE_DATABASE_URL="sqlite:///$TMP/e2e.db"
suffix="$(basename "$TMP" | cut -d. -f2 | tr '[:upper:]' '[:lower:]')"
export REHEARSE_NAMESPACE="rehearse-e2e-$suffix"
export REHEARSE_VAR_DIR="$TMP"
export REHEARSE_RATE_AUTH_ATTEMPTS=10000/minute REHEARSE_RATE_SESSION_STARTS=10000/hour REHEARSE_RATE_CODE_RUNS=10000/minute
export E2E_BASE_URL="http://127.0.0.1:$PORT"
HONCHO_PID=""

stop_product() {
  [ -n "$HONCHO_PID" ] || return 0
  local children; children="$(pgrep -P "$HONCHO_PID" || true)"
  # honcho forwards TERM to each process (each in its own session) and waits for them.
  kill -TERM -- "-$HONCHO_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$HONCHO_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$HONCHO_PID" 2>/dev/null || true
  for child in $children; do kill -KILL -- "-$child" 2>/dev/null || true; done
  HONCHO_PID=""
}

drop_redis_keys() {  # everything under our namespace: streams, queues, rate limits, results
  "$PY" - "$REHEARSE_NAMESPACE" <<'PY' || true
import sys
from config import get_settings
import redis
client = redis.Redis.from_url(get_settings().redis_url)
keys = list(client.scan_iter(match=f"{sys.argv[1]}:*", count=1000))
for start in range(0, len(keys), 500):
    client.delete(*keys[start:start + 500])
PY
}

drop_sandboxes() {  # pooled sandbox containers outlive their worker; remove ours by namespace label
  "$PY" - "$REHEARSE_NAMESPACE" <<'PY' || true
import sys
import docker
from config import get_settings
from workers.execution import janitor
janitor.sweep(docker.APIClient(base_url=get_settings().docker_host), 0, labels={"rehearse.namespace": sys.argv[1]})
PY
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_product
  drop_redis_keys
  drop_sandboxes
  if [ "$status" -ne 0 ] && [ -f "$TMP/product.log" ]; then
    log "product log, without access lines (last 80 of $TMP/product.log):"
    grep -v '\.access"' "$TMP/product.log" | tail -n 80 >&2 || true
  fi
  if [ "${E2E_KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "migrating $REHEARSE_DATABASE_URL"
migrate >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; die "alembic upgrade head failed"; }
log "starting the product (honcho start -f Procfile) on $E2E_BASE_URL, namespace $REHEARSE_NAMESPACE"
setsid honcho start -f Procfile -p "$PORT_BASE" >"$TMP/product.log" 2>&1 &
HONCHO_PID=$!
"$PY" - "$E2E_BASE_URL/healthz" "$HONCHO_PID" <<'PY' || die "the product did not come up (log: $TMP/product.log)"
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2).read()
        sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the product exited while starting")
    time.sleep(0.2)
sys.exit(f"no answer from {url} after 90 s")
PY

if [ $# -gt 0 ]; then tests=("$@"); else tests=(frontend/e2e/*.test.mjs); fi
# With a feedback pool in the Procfile a report must get its score; without one it stays "being prepared".
if grep -q '^feedback:' Procfile; then export E2E_EXPECT_SCORE=1; else export E2E_EXPECT_SCORE=0; fi
rm -rf frontend/e2e/screenshots
log "running ${#tests[@]} test file(s) in Chromium"
started=$SECONDS
# Bounded (the suite takes about a minute): a hang ends red, in time, and the clean-up still runs.
timeout --kill-after=30 "${E2E_WALL_LIMIT:-15m}" node --test --test-concurrency="${E2E_CONCURRENCY:-2}" --test-reporter=spec "${tests[@]}"
log "end-to-end tests passed in $((SECONDS - started)) s"
