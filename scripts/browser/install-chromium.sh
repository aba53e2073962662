#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium and a Chinese font for the console's browser test
# (test/browser). Idempotent: does nothing when both are there. Needs root (CI and the dev machines
# run as root); playwright-core drives this browser and never downloads one of its own.
set -euo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
have_font() { fc-list 2>/dev/null | grep -qi 'WenQuanYi Zen Hei'; }

if [[ -x "$chromium_path" ]] && have_font; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-chromium: $chromium_path or the WenQuanYi font is missing and this is not root; install the Debian packages chromium and fonts-wqy-zenhei." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing on a fresh machine; update once, quietly.
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
echo "install-chromium: $("$chromium_path" --version)"
