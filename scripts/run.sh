#!/usr/bin/env bash
# Entry behind `npm start`, `npm test` and every other README command (`npm run
# netinsights`, `bench`, `build:probe`, `build:agent`): gets Node 24 if needed (the
# machine's node may be older), installs the dependencies when package-lock.json
# changed since the last install, builds the dashboard when its sources changed,
# then runs the requested job. Everything but the job's own output goes to stderr,
# so `npm run --silent netinsights -- … --json | jq` reads only JSON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/ensure-node.sh

stamp=".cache/install.stamp"
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "netinsights: installing dependencies with $(node --version)…" >&2
  # `npm install` (not `npm ci`): it installs what package-lock.json pins, and this npm leaves other
  # platforms' optional packages (biome's) out of the lock, which `npm ci` then refuses.
  npm install --no-audit --no-fund --loglevel=error >&2
  mkdir -p .cache && cp package-lock.json "$stamp"
fi
if [ -f packages/web/package.json ] && grep -q '"build"' packages/web/package.json; then
  node scripts/build-web-if-stale.ts
fi
job="${1:-}"; shift || true
# The single-file probe for endpoints (packages/probe/dist), rebuilt when its sources changed
# (build-probe forces it below instead).
if [ "$job" != build-probe ]; then node scripts/build-probe-if-stale.ts >&2; fi

case "$job" in
  build-probe) exec node scripts/build-probe-if-stale.ts --force "$@" ;;
  build-agent) exec node scripts/build-agent.ts "$@" ;;
  start) exec node packages/cli/bin/netinsights.ts serve --demo "$@" ;;
  test)  exec node scripts/test.ts "$@" ;;
  bench) exec node bench/run.ts "$@" ;;
  cli)   exec node packages/cli/bin/netinsights.ts "$@" ;;
  *) echo "usage: scripts/run.sh start|test|bench|cli|build-probe|build-agent [args…]" >&2; exit 2 ;;
esac
