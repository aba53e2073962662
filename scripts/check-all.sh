#!/usr/bin/env bash
# Installs everything and runs every check: build, type check of the tests, lint, unit tests and
# contract suites per port and the end-to-end suite over HTTP. CI runs exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
cd "$PROJECT_ROOT"
bash scripts/bootstrap.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent test:unit
npm run --silent test:contract
npm run --silent test:e2e
