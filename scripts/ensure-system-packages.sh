#!/usr/bin/env bash
# The tests run real servers and a real browser. Install Debian's packages when missing
# (as root, as on CI), or say exactly what to run.
set -euo pipefail
needed=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || needed+=(nginx)
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || needed+=(apache2)
[ -x /usr/bin/chromium ] || needed+=(chromium)
command -v caddy >/dev/null 2>&1 || needed+=(caddy)
command -v httxt2dbm >/dev/null 2>&1 || [ -x /usr/bin/httxt2dbm ] || needed+=(apache2-utils)
[ -x /usr/bin/time ] || needed+=(time)
command -v less >/dev/null 2>&1 || needed+=(less)
command -v tmux >/dev/null 2>&1 || needed+=(tmux)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need: ${needed[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  # Debian starts the servers it installs; the tests start their own on other ports.
  for service in nginx apache2 caddy; do
    if printf '%s\n' "${needed[@]}" | grep -qx "$service"; then service "$service" stop >/dev/null 2>&1 || true; fi
  done
else
  echo "The tests need Debian packages that are missing: ${needed[*]}" >&2
  echo "Install them with: sudo apt-get install ${needed[*]}" >&2
  exit 1
fi
