#!/usr/bin/env bash
# Quick start: installs everything, starts the embedded all-in-one, ingests the sample corpus,
# asks a sample question and prints the answer with its citations. The server keeps running
# until Ctrl-C. Settings: PORT (default 8080), DATA_DIR (default ./data).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
cd "$PROJECT_ROOT"
bash scripts/bootstrap.sh

export PORT="${PORT:-8080}" DATA_DIR="${DATA_DIR:-$PROJECT_ROOT/data}"
url="http://127.0.0.1:$PORT"
# The first start of an empty data folder creates the administrator key from BOOTSTRAP_ADMIN_KEY;
# the quick start keeps that key beside the data (readable by you only) to use on later runs.
mkdir -p "$DATA_DIR"
key_file="$DATA_DIR/quickstart-admin.key"
if [ ! -s "$key_file" ]; then
  (umask 077 && node -e "process.stdout.write('rag_' + require('node:crypto').randomBytes(32).toString('base64url'))" > "$key_file")
fi
export BOOTSTRAP_ADMIN_KEY="$(cat "$key_file")" RAG_API_KEY="$(cat "$key_file")"
node services/all-in-one/dist/main.js > "$DATA_DIR.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' INT TERM
for _ in $(seq 1 120); do
  curl -fs "$url/readyz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "The server exited; its log is $DATA_DIR.log:"; tail -20 "$DATA_DIR.log"; exit 1; }
  sleep 0.5
done

echo "Ingesting the sample corpus (samples/corpus) ..."
node services/ingest/dist/cli/ingest.cli.js samples/corpus --url "$url"
echo
node services/gateway/dist/cli/ask.cli.js --url "$url" --wait-for-citations "金卡一年内刷卡满几次可以免次年年费？"
echo
node services/gateway/dist/cli/ask.cli.js --url "$url" "How long is a text message one-time code valid?"
echo
echo "The all-in-one is running at $url (data in $DATA_DIR, log in $DATA_DIR.log)."
echo "Your administrator API key is in $key_file (keep it secret). Try:"
echo "  curl -s $url/v1/search -H \"authorization: Bearer \$(cat $key_file)\" -H 'content-type: application/json' -d '{\"query\":\"PPR-9087\"}'"
echo "API description: $url/docs. Press Ctrl-C to stop."
if [ "${QUICKSTART_EXIT:-0}" = "1" ]; then kill $server; wait $server || true; exit 0; fi
wait $server
