#!/usr/bin/env bash
# Prepares a fresh machine for `npm test`: the browser engines the tests run pages in (Debian's
# Chromium unless CHROMIUM_PATH names one; Firefox ESR; WebKitGTK's MiniBrowser with Xvfb to show it)
# and the npm packages from package-lock.json. apt-get runs only for what is missing, so a second
# run is quick and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
minibrowser="${MINIBROWSER_PATH:-/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser}"

if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
  echo "setup: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi

missing=()
[ -x "$chromium" ] || missing+=(chromium)
[ -x "$firefox" ] || missing+=(firefox-esr)
[ -x "$minibrowser" ] || missing+=(libwebkit2gtk-4.1-0)
command -v xvfb-run >/dev/null || missing+=(xvfb)
command -v xauth >/dev/null || missing+=(xauth)

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing ${missing[*]} and no apt-get: install them (or set CHROMIUM_PATH, FIREFOX_PATH, MINIBROWSER_PATH)" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]} (Debian packages)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "setup: $("$chromium" --version 2>/dev/null || echo "chromium at $chromium")"
echo "setup: $("$firefox" --version 2>/dev/null || echo "firefox at $firefox")"
echo "setup: WebKitGTK MiniBrowser at $minibrowser ($(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo 'version unknown'))"

npm ci --no-audit --no-fund
