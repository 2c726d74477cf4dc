#!/usr/bin/env bash
# Runs every benchmark under bench/ (Release build), one after another. Benchmarks are not tests: they report
# numbers (records/second, ratios) and fail only when the program itself fails.
# The Avro codec benchmark also measures avsc (Avro for JavaScript, from npm) through Node on the same records:
# avsc is installed once into a cache directory this script manages (MESERP_CACHE_DIR, default ~/.cache/meserp).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
AVSC_VERSION=5.7.9
CACHE="${MESERP_CACHE_DIR:-$HOME/.cache/meserp}/bench-node-avsc-$AVSC_VERSION"
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -f "$CACHE/node_modules/avsc/package.json" ]; then
    echo "== installing avsc@$AVSC_VERSION into $CACHE"
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --silent "avsc@$AVSC_VERSION" >/dev/null
  fi
  export MESERP_AVSC_NODE_PATH="$CACHE/node_modules"
else
  echo "bench: node/npm not found, the avsc row is skipped" >&2
fi
shopt -s nullglob
projects=(bench/*/*.csproj)
if [ ${#projects[@]} -eq 0 ]; then echo "no benchmarks under bench/"; exit 0; fi
for p in "${projects[@]}"; do
  echo "== $(basename "$(dirname "$p")")"
  dotnet run -c Release --project "$p" -- "$@"
done
