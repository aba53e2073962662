#!/usr/bin/env bash
# The chaos suite (test/chaos): starts its OWN Redis, MariaDB, Milvus, Elasticsearch and model
# servers on other ports and in other folders (.chaos/), so the shared test servers are never
# touched; runs the full profile under load while it kills and freezes each store in turn; stops
# its servers again. Prints a table per fault and writes JSON (CHAOS_JSON, default
# .chaos/chaos-report.json). Needs a build (npm run build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../runtime.sh"
cd "$PROJECT_ROOT"

export STORES_DIR="${CHAOS_STORES_DIR:-$PROJECT_ROOT/.chaos/stores}"
export STORES_REDIS_PORT="${CHAOS_REDIS_PORT:-16391}"
export STORES_MARIADB_PORT="${CHAOS_MARIADB_PORT:-13308}"
export STORES_MILVUS_PORT="${CHAOS_MILVUS_PORT:-19631}"
export STORES_ES_PORT="${CHAOS_ES_PORT:-19211}"
export STORES_ES_TRANSPORT_PORT="${CHAOS_ES_TRANSPORT_PORT:-19311}"
export MODELS_DIR="${CHAOS_MODELS_DIR:-$PROJECT_ROOT/.chaos/models}"
export MODELS_EMBEDDING_PORT="${CHAOS_EMBEDDING_PORT:-18191}"
export MODELS_CHAT_PORT="${CHAOS_CHAT_PORT:-18192}"
export CHAOS_JSON="${CHAOS_JSON:-$PROJECT_ROOT/.chaos/chaos-report.json}"
mkdir -p "$PROJECT_ROOT/.chaos"
[[ -f "$PROJECT_ROOT/.chaos/.gitignore" ]] || printf '# chaos-suite servers and reports, see scripts/chaos/run-chaos.sh\n*\n' >"$PROJECT_ROOT/.chaos/.gitignore"

stop_servers() {
  # Only this suite's servers: the state folders above, never the shared .stores and .models.
  bash scripts/stores/stop-test-stores.sh >/dev/null 2>&1 || echo "[chaos] could not stop the stores in $STORES_DIR" >&2
  bash scripts/models/stop-model-servers.sh >/dev/null 2>&1 || echo "[chaos] could not stop the model servers in $MODELS_DIR" >&2
}
if [[ "${CHAOS_KEEP_SERVERS:-0}" != 1 ]]; then trap stop_servers EXIT; fi

bash scripts/stores/start-test-stores.sh
bash scripts/models/start-model-servers.sh
set -a
source "$STORES_DIR/urls.env"
source "$MODELS_DIR/urls.env"
set +a
npx vitest run --config test/chaos/vitest.config.mts "$@"
