#!/usr/bin/env bash
# Fuzzes every operation of the all-in-one's OpenAPI document (GET /docs) with Schemathesis.
# Fails on any 5xx, any request the server did not answer (crash, hang, reset), an
# "Unhandled error" in the server log, or a server that is no longer running at the end.
# Assumes `npm run build` ran; builds nothing. Only ever talks to 127.0.0.1. See README.md here.
#
# Settings (environment):
#   FUZZ_VENV          virtualenv with the pinned Schemathesis ($HOME/.cache/bank-rag-fuzz)
#   FUZZ_PYTHON        Python that creates it (python3)
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (50)
#   FUZZ_TIME_LIMIT    wall-clock bound on the Schemathesis run, seconds (300; it takes ~15)
#   FUZZ_SEED          replay a run: the seed that run printed (random)
#   FUZZ_WORKERS       concurrent Schemathesis workers (1; see below)
#   FUZZ_PROFILE       embedded (default) or full: the real test stores from .stores/urls.env
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../runtime.sh"
cd "$PROJECT_ROOT"

FUZZ_VENV="${FUZZ_VENV:-$HOME/.cache/bank-rag-fuzz}"
FUZZ_PYTHON="${FUZZ_PYTHON:-python3}"
FUZZ_MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
FUZZ_TIME_LIMIT="${FUZZ_TIME_LIMIT:-300}"
FUZZ_WORKERS="${FUZZ_WORKERS:-1}"
REQUIREMENTS="$PROJECT_ROOT/scripts/fuzz/requirements.txt"
ENTRY="$PROJECT_ROOT/services/all-in-one/dist/main.js"

log() { printf 'fuzz: %s\n' "$*" >&2; }

[ -f "$ENTRY" ] || { log "$ENTRY is missing: run 'npm run build' first."; exit 2; }

# --- Schemathesis in its own virtualenv, rebuilt whenever requirements.txt or the Python changes.
ensure_venv() {
  local stamp want
  stamp="$FUZZ_VENV/.bank-rag-stamp"
  want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1) $("$FUZZ_PYTHON" -c 'import sys; print(sys.version)' | head -1)"
  if [ -x "$FUZZ_VENV/bin/st" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  # Only ever replace a virtualenv (or an empty folder), whatever FUZZ_VENV points at.
  if [ -e "$FUZZ_VENV" ] && [ ! -f "$FUZZ_VENV/pyvenv.cfg" ] && [ -n "$(ls -A "$FUZZ_VENV" 2>/dev/null)" ]; then
    log "$FUZZ_VENV exists and is not a virtualenv; refusing to replace it (set FUZZ_VENV)."; exit 2
  fi
  log "installing Schemathesis into $FUZZ_VENV ..."
  rm -rf "$FUZZ_VENV"
  "$FUZZ_PYTHON" -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv -r "$REQUIREMENTS"
  printf '%s' "$want" >"$stamp"
}
ensure_venv
PY="$FUZZ_VENV/bin/python"
ST="$FUZZ_VENV/bin/st"

# --- A throwaway all-in-one on a free loopback port, a fresh data folder and a random admin key.
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bank-rag-fuzz.XXXXXX")"
SERVER_PID=""
NAMESPACE=""
SERVER_LOG="$WORK_DIR/server.log"
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [ -n "$NAMESPACE" ]; then
    mysql_admin "DROP DATABASE IF EXISTS \`$NAMESPACE\`" || true
    curl -fsS -o /dev/null -X DELETE "$STORES_ELASTICSEARCH_URL/${NAMESPACE//_/-}" 2>/dev/null || true
  fi
  rm -rf "$WORK_DIR"
}
# Runs one statement on the test MariaDB through the project's own mysql2 (no client package needed).
mysql_admin() {
  (cd "$PROJECT_ROOT" && node -e "require('mysql2/promise').createConnection(process.argv[1]).then(async (c) => { await c.query(process.argv[2]); await c.end(); })" "$STORES_MARIADB_URL" "$1")
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE_URL="http://127.0.0.1:$PORT"
ADMIN_KEY="rag_$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))")"
AUTH_HEADER="Authorization: Bearer $ADMIN_KEY"

# The rate limits are raised so that the fuzzer exercises the handlers rather than the limiter
# (it sends about a hundred requests a second, far above the default 1,200 a minute per key).
# FUZZ_PROFILE=full runs the all-in-one on the real test stores (scripts/stores, with
# .stores/urls.env exported), in a namespace of its own: Redis prefix, MySQL database, Milvus
# collection and Elasticsearch index named for this run.
PROFILE_ENV=()
if [ "${FUZZ_PROFILE:-embedded}" = "full" ]; then
  : "${STORES_REDIS_URL:?FUZZ_PROFILE=full needs the test stores: source .stores/urls.env}"
  NAMESPACE="rag_test_fuzz_$(date +%s)_$$"
  mysql_admin "CREATE DATABASE \`$NAMESPACE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  PROFILE_ENV=(PROFILE=full REDIS_URL="$STORES_REDIS_URL" REDIS_KEY_PREFIX="$NAMESPACE:"
    MYSQL_URL="${STORES_MARIADB_URL%/*}/$NAMESPACE" MILVUS_ADDRESS="${STORES_MILVUS_URL#http://}" MILVUS_COLLECTION="$NAMESPACE"
    ELASTICSEARCH_URL="$STORES_ELASTICSEARCH_URL" ELASTICSEARCH_INDEX="${NAMESPACE//_/-}")
fi

env "${PROFILE_ENV[@]}" HOST=127.0.0.1 PORT="$PORT" DATA_DIR="$WORK_DIR/data" LOG_LEVEL=warn BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" \
  RATE_LIMIT_PER_KEY_PER_MINUTE=1000000 RATE_LIMIT_PER_TENANT_PER_MINUTE=1000000 WORKER_POLL_MS=50 \
  node "$ENTRY" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

server_alive() { kill -0 "$SERVER_PID" 2>/dev/null; }
for attempt in $(seq 1 300); do
  server_alive || { log "the server exited while starting:"; cat "$SERVER_LOG" >&2; exit 1; }
  curl -fsS -o /dev/null --max-time 2 "$BASE_URL/readyz" 2>/dev/null && break
  [ "$attempt" = 300 ] && { log "the server was not ready after 30 s:"; cat "$SERVER_LOG" >&2; exit 1; }
  sleep 0.1
done
log "all-in-one ready at $BASE_URL (pid $SERVER_PID, data in $WORK_DIR/data)"

# --- A few documents, one Chinese and two English, so that searches and chats find something.
"$PY" - "$BASE_URL" "$ADMIN_KEY" <<'PYTHON'
import json, sys, time, urllib.request

base, key = sys.argv[1], sys.argv[2]
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
documents = [
    {"collection": "default", "externalId": "fuzz-card-fees-zh", "title": "信用卡年费说明", "contentType": "text/markdown",
     "content": "# 信用卡年费\n\n金卡年费为 300 元。当年刷卡满 6 次即可免除次年年费。\n\n## 挂失\n\n信用卡遗失后请立即致电客服挂失，挂失后 24 小时内的盗刷损失由银行承担。"},
    {"collection": "default", "externalId": "fuzz-otp-en", "title": "One-time codes", "contentType": "text/plain",
     "content": "A text message one-time code is valid for five minutes. Never share a one-time code with anyone, including bank staff."},
    {"collection": "default", "externalId": "fuzz-transfers-en", "title": "Transfer limits", "contentType": "text/markdown",
     "content": "# Transfer limits\n\nThe daily limit for mobile banking transfers is 50,000 dollars. Raise it at a branch with identification.",
     "acl": {"groups": []}, "metadata": {"owner": "fuzz"}},
]

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)

ids = [call("POST", "/v1/documents", doc)["documentId"] for doc in documents]
deadline = time.monotonic() + 60
pending = set(ids)
while pending and time.monotonic() < deadline:
    for document_id in list(pending):
        status = call("GET", f"/v1/documents/{document_id}")["status"]
        if status == "indexed":
            pending.discard(document_id)
        elif status == "failed":
            sys.exit(f"fuzz: seeding document {document_id} failed to index")
    time.sleep(0.2)
if pending:
    sys.exit(f"fuzz: seeding documents not indexed after 60 s: {sorted(pending)}")
hits = call("POST", "/v1/search", {"query": "金卡年费", "mode": "hybrid"}).get("hits", [])
if not hits:
    sys.exit("fuzz: a search for the seeded Chinese document found nothing")
print(f"fuzz: seeded {len(ids)} documents; a Chinese search finds {len(hits)} hit(s)", file=sys.stderr)
PYTHON

# The id of the key the fuzzer authenticates with, which hooks.py keeps it from revoking or rotating.
FUZZ_PROTECTED_KEY_ID="$(curl -fsS --max-time 10 -H "$AUTH_HEADER" "$BASE_URL/v1/admin/keys" |
  "$PY" -c 'import json, sys; print(next(k["id"] for k in json.load(sys.stdin) if k["subject"] == "bootstrap-admin"))')"
export FUZZ_PROTECTED_KEY_ID
export SCHEMATHESIS_HOOKS="$PROJECT_ROOT/scripts/fuzz/hooks.py"
# Hypothesis keeps its caches beside the virtualenv rather than in the work tree.
export HYPOTHESIS_STORAGE_DIRECTORY="$FUZZ_VENV/hypothesis"

# --- Schemathesis.
# Checks, chosen deliberately:
#   not_a_server_error           the bar: no 5xx, and a request the server drops or does not answer
#                                in --request-timeout is reported as an error, which fails the run too.
#   response_schema_conformance  validates a body only against a response schema the document
#                                declares; ours declare none yet (descriptions only), so it starts
#                                to bite as soon as one is added, and never fails on the rest.
#   content_type_conformance     likewise only checks media types the document declares.
# Left out on purpose:
#   status_code_conformance      fails on every status the document does not list, and it lists
#                                only the usual ones (no 401, 403, 413, 415, 429 on most routes).
#   positive_data_acceptance,    expect 2xx for schema-valid data and 4xx for invalid data; random
#   negative_data_rejection      ids make valid requests 404, and the server rightly adds rules a
#                                JSON Schema cannot express (MAX_QUERY_CHARS, MAX_TOP_K, blank after
#                                trim), so they report our design rather than defects.
#   unsupported_method, missing_required_header, ignored_auth and the stateful checks: the
#                                document declares neither security schemes nor links.
# Phases: examples, coverage and fuzzing - stateless, with the default positive and negative data.
# Every operation is fuzzed; nothing is excluded. hooks.py drops only the cases that would revoke
# or rotate the fuzzer's own key (see there).
# One worker: Schemathesis's workers are threads, so more of them add no CPU on 2 cores, and on
# CPython 3.11 concurrent threads hit a race in `ast` ("AST constructor recursion depth mismatch")
# that Schemathesis reports as an error of the run (seen here with 4 workers).
# No --max-time: since Schemathesis 4.3x it makes fuzzing repeat until the time is spent, so the
# work is bounded by --max-examples and the wall clock by `timeout` (hitting it fails the run).
# The example database is off so that a run depends only on its seed. Hypothesis's too_slow health
# check is off: it times the generator on the CI machine, not the server, and would only add flakes.
CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance
PHASES=examples,coverage,fuzzing
ST_ARGS=(
  run "$BASE_URL/docs"
  --url "$BASE_URL"
  --header "$AUTH_HEADER"
  --checks "$CHECKS"
  --phases "$PHASES"
  --mode all
  --max-examples "$FUZZ_MAX_EXAMPLES"
  --workers "$FUZZ_WORKERS"
  --request-timeout 15
  --continue-on-failure
  --generation-database none
  --suppress-health-check too_slow
  --no-color
)
if [ -n "${FUZZ_SEED:-}" ]; then ST_ARGS+=(--seed "$FUZZ_SEED"); fi

log "schemathesis $("$ST" --version | awk '{print $NF}'), up to $FUZZ_MAX_EXAMPLES cases per operation and phase, at most ${FUZZ_TIME_LIMIT}s"
log "st ${ST_ARGS[*]/$ADMIN_KEY/***}"
started=$SECONDS
set +e
# From the temporary folder, where Schemathesis keeps its .schemathesis/ cache, not the work tree.
(cd "$WORK_DIR" && exec timeout --kill-after=30 "$FUZZ_TIME_LIMIT" "$ST" "${ST_ARGS[@]}") >"$WORK_DIR/schemathesis.log" 2>&1
st_status=$?
set -e
# Schemathesis redraws a live progress display even without a terminal; a log keeps every frame.
# Print its output without the frames: what came before the first and after the last one.
# Its pytest-style closing rule ("==== 2 warnings in 11.07s ====") is left out too: it counts no
# test, and CI reads pytest's closing line as the whole run's verdict. The count is in SUMMARY.
awk '/\x1b\[/ { if (!first) first = NR; last = NR; next } { line[NR] = $0 }
     END { for (i = 1; i <= NR; i++) if ((i in line) && (!first || i < first || i > last)) print line[i] }' \
  "$WORK_DIR/schemathesis.log" | grep -vE '^=+ .* in [0-9.]+s =+$' || true
elapsed=$((SECONDS - started))

# --- Verdict: Schemathesis's own, the server still running, and no unhandled error in its log.
findings=0
if [ "$st_status" = 124 ] || [ "$st_status" = 137 ]; then
  log "FAIL: Schemathesis did not finish within ${FUZZ_TIME_LIMIT}s (FUZZ_TIME_LIMIT)"; findings=$((findings + 1))
elif [ "$st_status" != 0 ]; then
  log "FAIL: Schemathesis reported failures or errors (exit $st_status); reproductions above"; findings=$((findings + 1))
fi
# A run whose key stopped working tested only the 401 path from then on: void, whatever it found.
key_status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H "$AUTH_HEADER" "$BASE_URL/v1/admin/keys" 2>/dev/null || true)"
if server_alive && [ "$key_status" != 200 ]; then
  log "FAIL: the fuzzer's API key no longer works (GET /v1/admin/keys answered $key_status)"; findings=$((findings + 1))
fi
if ! server_alive; then
  log "FAIL: the server is no longer running; the end of its output:"
  tail -40 "$SERVER_LOG" >&2
  findings=$((findings + 1))
fi
unhandled="$(grep -E '"level":(50|60)' "$SERVER_LOG" | grep -E 'Unhandled error|"level":60' || true)"
if [ -n "$unhandled" ]; then
  log "FAIL: the server logged $(printf '%s\n' "$unhandled" | wc -l) unhandled error(s):"
  printf '%s\n' "$unhandled" | head -50 >&2
  findings=$((findings + 1))
fi

other_errors="$(grep -E '"level":50' "$SERVER_LOG" | grep -vc 'Unhandled error' || true)"
operations="$(sed -nE 's/^ *Tested: *([0-9]+).*/\1/p' "$WORK_DIR/schemathesis.log" | tail -1)"
cases="$(sed -nE 's/^ *([0-9]+ generated.*)/\1/p' "$WORK_DIR/schemathesis.log" | tail -1)"
log "summary: ${operations:-?} operations tested; test cases: ${cases:-?}; ${elapsed}s; schemathesis exit $st_status;" \
  "server $(server_alive && echo alive || echo DEAD); $(printf '%s' "$unhandled" | grep -c . || true) unhandled error(s) in its log" \
  "(and $other_errors other error line(s), which do not fail the run)"
if [ "$findings" != 0 ]; then
  log "server log (level >= 50):"
  grep -E '"level":(50|60)' "$SERVER_LOG" | tail -50 >&2 || true
  log "FAILED with $findings finding(s)"
  exit 1
fi
log "PASSED"
