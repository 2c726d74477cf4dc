#!/usr/bin/env bash
# Runs every benchmark under bench/ (Release build), one after another. Benchmarks are not tests: they report
# numbers (records/second, ratios) and fail only when the program itself fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
shopt -s nullglob
projects=(bench/*/*.csproj)
if [ ${#projects[@]} -eq 0 ]; then echo "no benchmarks under bench/"; exit 0; fi
for p in "${projects[@]}"; do
  echo "== $(basename "$(dirname "$p")")"
  dotnet run -c Release --project "$p" -- "$@"
done
