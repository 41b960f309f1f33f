#!/bin/sh
# Runs every benchmark (bench/*.bench.ts) and writes BENCHMARKS.md with the machine and the date.
set -e
cd "$(dirname "$0")/.."
[ -d node_modules/tsx ] || npm ci --no-audit --no-fund
out=BENCHMARKS.md.new
{
  echo "# Benchmarks"
  echo
  echo "Written by \`npm run bench\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, Node.js $(node --version), $(nats-server --version 2>/dev/null || echo 'nats-server absent'). Shared machine: compare figures of one run as ratios."
  echo
  for f in ${BENCH:-bench/*.bench.ts}; do
    echo "running $f" >&2
    if ! node --import tsx "$f"; then echo "_$f failed: see the console._"; fi
    echo
  done
} > "$out"
mv "$out" BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
