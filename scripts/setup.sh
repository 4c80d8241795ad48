#!/usr/bin/env bash
# Prepares a fresh machine for `npm test`: Debian's Chromium for the browser tests (unless
# CHROMIUM_PATH already names a Chromium) and the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "setup: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null; then
    echo "setup: no Chromium at $chromium and no apt-get: install Chromium and set CHROMIUM_PATH" >&2
    exit 1
  fi
  echo "setup: installing Debian's chromium"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
echo "setup: $("$chromium" --version 2>/dev/null || echo "chromium at $chromium")"

npm ci --no-audit --no-fund
