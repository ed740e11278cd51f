#!/usr/bin/env bash
# nginx for the scale-out tests and bench/load.py (Debian's package; a user's own nginx is fine).
#
#   scripts/nginx.sh ensure   # installs nginx when missing; prints its path on stdout's last line
#
# The callers write their own config and run it in the foreground under a scratch directory; the
# package's own service is never started or touched.
source "$(dirname "$0")/lib.sh"

find_nginx() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

case "${1:-}" in
  ensure)
    if ! binary="$(find_nginx)"; then
      log "installing nginx (apt)"
      # The package's postinst would start the default site on port 80: keep it from doing so.
      policy="/usr/sbin/policy-rc.d"; added=""
      if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null; as_root chmod +x "$policy"; added=1; fi
      apt_install nginx
      if [ -n "$added" ]; then as_root rm -f "$policy"; fi
      binary="$(find_nginx)" || die "nginx is not installed"
    fi
    echo "$binary"
    ;;
  *) die "usage: scripts/nginx.sh ensure" ;;
esac
