#!/usr/bin/env bash
# Make a Docker Engine API reachable for the code sandbox and build its images.
#
#   scripts/engine.sh ensure   # prints the DOCKER_HOST to use on stdout's last line
#   scripts/engine.sh stop     # stops the podman service that `ensure` started
#
# A machine that already has Docker (DOCKER_HOST or /var/run/docker.sock answering /_ping) is
# used unchanged. Otherwise podman's Docker-compatible API service is installed and started.
# Everything is idempotent: a second `ensure` takes seconds. All chatter goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${REHEARSE_RUN_DIR:-/run/rehearse}"
LOG_DIR="${REHEARSE_LOG_DIR:-/tmp/rehearse-engine}"
SOCK="$RUN_DIR/podman.sock"
PIDFILE="$RUN_DIR/podman.pid"
# Our own containers.conf, so a user's /etc/containers/containers.conf is left alone.
CONF="${REHEARSE_CONTAINERS_CONF:-/etc/rehearse/containers.conf}"
LOCAL_BASE="localhost/rehearse-base:bookworm"
SANDBOX_DIR="$ROOT/sandbox"
CA_BUNDLE="${REHEARSE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
ENGINE=""   # "podman" when we run the service, "docker" for an existing engine

log() { echo "engine.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Does the Engine API at $1 (unix:///path or tcp://host:port) answer /_ping with OK?
ping_host() {
  python3 - "$1" <<'PY' 2>/dev/null
import http.client, socket, sys
url = sys.argv[1]
class UnixConn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=3)
        self.path_ = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(3)
        self.sock.connect(self.path_)
if url.startswith("unix://"):
    conn = UnixConn(url[len("unix://"):])
elif url.startswith("tcp://"):
    host, _, port = url[len("tcp://"):].partition(":")
    conn = http.client.HTTPConnection(host, int(port or 2375), timeout=3)
else:
    sys.exit(1)
conn.request("GET", "/_ping")
resp = conn.getresponse()
sys.exit(0 if resp.status == 200 and resp.read().strip() == b"OK" else 1)
PY
}

install_podman() {
  local missing=()
  for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]} (apt)"
  apt-get update -qq >&2
  # runc, not crun: crun fails on hosts with hybrid cgroups.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >&2
}

write_conf() {
  local want
  # Without default_ulimits every container fails: setrlimit RLIMIT_NOFILE not permitted.
  want='[containers]
cgroupns = "host"
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"'
  if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$want" ]; then
    mkdir -p "$(dirname "$CONF")"
    printf '%s\n' "$want" >"$CONF"
    log "wrote $CONF"
  fi
}

start_podman() {
  export CONTAINERS_CONF="$CONF"
  if ping_host "unix://$SOCK"; then return; fi
  mkdir -p "$RUN_DIR"
  rm -f "$SOCK"
  log "starting podman system service on $SOCK (log: $LOG_DIR/podman.log)"
  # setsid + nohup: the service outlives this script and its process group. It runs in $RUN_DIR:
  # conmon drops an `oom` marker file into its working directory when a sandbox is OOM-killed,
  # which would otherwise litter the directory `make test` or `make run` was started from.
  (cd "$RUN_DIR" && exec setsid nohup podman system service --time=0 "unix://$SOCK" \
    >"$LOG_DIR/podman.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    ping_host "unix://$SOCK" && return
    sleep 0.1
  done
  die "podman service did not answer /_ping; see $LOG_DIR/podman.log"
}

# Choose the engine; sets DOCKER_HOST and ENGINE.
select_engine() {
  if [ "${DOCKER_HOST:-}" = "unix://$SOCK" ]; then
    unset DOCKER_HOST  # our own service (from an earlier `ensure`): manage it as podman below
  elif [ -n "${DOCKER_HOST:-}" ] && ping_host "$DOCKER_HOST"; then
    ENGINE=docker; return
  fi
  if [ -S /var/run/docker.sock ] && ping_host unix:///var/run/docker.sock; then
    DOCKER_HOST=unix:///var/run/docker.sock; ENGINE=docker; return
  fi
  # A rootful podman service, as on the CI machines; a user without root runs Docker instead.
  [ "$(id -u)" = 0 ] || die "no Docker Engine answers; starting podman's service needs root"
  install_podman
  write_conf
  start_podman
  DOCKER_HOST="unix://$SOCK"; ENGINE=podman
}

eng() {
  if [ "$ENGINE" = podman ]; then CONTAINERS_CONF="$CONF" podman "$@"
  else
    command -v docker >/dev/null || die "the docker CLI is needed to build images"
    DOCKER_HOST="$DOCKER_HOST" DOCKER_BUILDKIT=1 docker "$@"  # BuildKit: RUN --mount=type=secret
  fi
}

image_exists() { eng image inspect "$1" >/dev/null 2>&1; }

debian_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
  [ -z "$uri" ] && uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v security | awk '{print $2}' | grep -i debian | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Debian bookworm minbase with python3 and nodejs, for machines that cannot pull official images.
build_local_base() {
  image_exists "$LOCAL_BASE" && return
  local rootfs mirror
  rootfs="$(mktemp -d /var/tmp/rehearse-rootfs.XXXXXX)"
  mirror="$(debian_mirror)"
  log "building $LOCAL_BASE with debootstrap from $mirror (about a minute)"
  debootstrap --variant=minbase --include=python3,nodejs bookworm "$rootfs" "$mirror" \
    >"$LOG_DIR/debootstrap.log" 2>&1 || die "debootstrap failed; see $LOG_DIR/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | eng import - "$LOCAL_BASE" >&2
  rm -rf "$rootfs"
}

# Official base if present or pullable, else the local debootstrap base. Prints the reference.
choose_base() {
  local official="docker.io/library/$1"
  if image_exists "$official"; then echo "$official"; return; fi
  if image_exists "$LOCAL_BASE"; then echo "$LOCAL_BASE"; return; fi
  if try_pull "$official" >/dev/null 2>&1; then echo "$official"; return; fi
  build_local_base
  echo "$LOCAL_BASE"
}

try_pull() {
  if [ "$ENGINE" = podman ]; then timeout 120 env CONTAINERS_CONF="$CONF" podman pull -q "$1"
  else timeout 120 env DOCKER_HOST="$DOCKER_HOST" docker pull -q "$1"
  fi
}

# Rebuild an image when it is missing or its Dockerfile, context files or base changed.
build_sandbox() {
  local name="$1" dockerfile="$2" official="$3"; shift 3
  local base hash current
  base="$(choose_base "$official")"
  hash="$( { echo "$base"; eng image inspect --format '{{.Id}}' "$base";
             cd "$SANDBOX_DIR" && sha256sum "$dockerfile" "$@"; } | sha256sum | cut -c1-16)"
  current="$(eng image inspect --format '{{index .Config.Labels "rehearse.build-hash"}}' "$name" 2>/dev/null || true)"
  [ "$current" = "$hash" ] && return
  local old_id; old_id="$(eng image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)"
  log "building $name from $base"
  local secret=()
  # The host's CA bundle reaches npm in the build (a TLS-intercepting proxy re-signs the registry).
  [ -s "$CA_BUNDLE" ] && secret=(--secret "id=cacert,src=$CA_BUNDLE")
  eng build -q -f "$SANDBOX_DIR/$dockerfile" --build-arg "BASE_IMAGE=$base" "${secret[@]}" \
    --label "rehearse.build-hash=$hash" -t "$name" "$SANDBOX_DIR" >&2
  # Drop the replaced image unless a container still uses it (then the next run retries).
  [ -n "$old_id" ] && eng rmi "$old_id" >/dev/null 2>&1 || true
}

cmd_ensure() {
  mkdir -p "$LOG_DIR"
  # Two concurrent `ensure`s (CI steps, workers) must not start two services or builds.
  exec 9>"$LOG_DIR/ensure.lock"
  flock 9
  select_engine
  build_sandbox rehearse-sandbox-python:latest Dockerfile.python python:3.12-slim launch.py
  build_sandbox rehearse-sandbox-node:latest Dockerfile.node node:22-slim launch.js package.json package-lock.json
  echo "$DOCKER_HOST"
}

cmd_stop() {
  [ -f "$PIDFILE" ] || { log "no podman service started by this script"; return; }
  local pid; pid="$(cat "$PIDFILE")"
  # Only stop the process we started: a podman service listening on our socket.
  if grep -q "$SOCK" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped podman service ($pid)"
  fi
  rm -f "$PIDFILE" "$SOCK"
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 ensure|stop" >&2; exit 2 ;;
esac
