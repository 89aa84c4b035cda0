#!/usr/bin/env bash
# Install the Debian packages tests need (Chromium for browser tests, PostgreSQL for the store
# suite, node and npm for JupyterHub's proxy in tests/hub). Needs root; does nothing when they are
# already installed.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
# JupyterHub's proxy for tests/hub, from its npm package (needs node and npm from Debian).
proxy_needed() { ! command -v configurable-http-proxy >/dev/null 2>&1; }
proxy_needed && ! command -v npm >/dev/null 2>&1 && need+=(nodejs npm)
install_proxy() {
  proxy_needed || return 0
  echo "system-deps: installing configurable-http-proxy (npm)"
  npm install -g --silent configurable-http-proxy >/dev/null ||
    echo "system-deps: could not install configurable-http-proxy; tests/hub will be skipped" >&2
}
if [ ${#need[@]} -eq 0 ]; then install_proxy; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: need ${need[*]} from Debian; run as root or install them yourself" >&2
  exit 1
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
install_proxy
