#!/bin/sh
# Runs every test of the repository with one runner (node:test through tsx).
# Installs what it needs first: npm dependencies, and Debian's nats-server when absent (as root).
set -e
cd "$(dirname "$0")/.."
[ -d node_modules/tsx ] || npm ci --no-audit --no-fund
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >/dev/null 2>&1 || \
      (apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server >/dev/null)
  else
    echo "note: nats-server is not installed; broker tests will be skipped (sudo apt-get install -y nats-server)" >&2
  fi
fi
npx tsc -p tsconfig.json
if [ "$#" -gt 0 ]; then files="$*"; else
  files=$(find services examples ruleset scripts deploy -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
fi
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec $files
