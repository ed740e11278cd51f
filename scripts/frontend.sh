#!/usr/bin/env bash
# scripts/frontend.sh build|test: the static web app in frontend/out, served by the web tier.
source "$(dirname "$0")/lib.sh"
cd "$ROOT/frontend"
command -v npm >/dev/null || die "Node.js 20+ and npm are needed for the web app (apt-get install nodejs npm)"

install() {
  local stamp="node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    log "installing the web app's packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

build() {
  install
  # Rebuild only when a source changed since the last export.
  if [ -f out/index.html ] && [ -z "$(find app components lib public scripts types next.config.ts package-lock.json \
        -newer out/index.html -print -quit 2>/dev/null)" ]; then
    return
  fi
  log "building the web app (next build, static export)"
  npm run --silent build
}

case "${1:-build}" in
  build) build ;;
  test)
    install
    log "web app: lint, types, unit tests"
    npm run --silent lint
    npm run --silent typecheck
    npm test --silent
    build
    node scripts/bundle-size.mjs
    ;;
  *) die "usage: scripts/frontend.sh build|test" ;;
esac
