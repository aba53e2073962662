#!/usr/bin/env bash
# Installs the runtime and the dependencies, then builds every project. Safe to run again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
cd "$PROJECT_ROOT"
echo "Using Node.js $(node --version) at $(command -v node)"
stamp="node_modules/.install-stamp"
wanted="$(node --version) $(sha1sum package-lock.json 2>/dev/null | cut -c1-40)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  wanted="$(node --version) $(sha1sum package-lock.json | cut -c1-40)"
  echo "$wanted" > "$stamp"
fi
npm run --silent build
