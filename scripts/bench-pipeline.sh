#!/usr/bin/env bash
# The pipeline benchmark (docs/performance.md): offered MES load through the whole pipeline, one `meserp run` process
# per point (500, 2,000 and 5,000 events/s, the ERP simulator at 0 and 50 ms), a bounded search for the highest rate
# sustained with the ERP at 0 ms, and 2,000 events/s with two processors and two sinks as separate processes.
# Prints one row per point and writes artifacts/bench-pipeline.json. About 20 minutes with the defaults; for a quick
# look: scripts/bench-pipeline.sh --seconds 10 --rates 2000 --erp-latencies 0 --max-rate 0
# A benchmark reports numbers: it fails only when a run fails or reconciliation finds a lost or doubled posting.
# Run it on a quiet machine: the figures are the machine's, and anything else running takes from them.
# Not under bench/ on purpose: scripts/bench.sh runs every project there as a micro benchmark.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"
MESERP="src/MesErpStreams.Cli/bin/$CONFIGURATION/net10.0/meserp"
BENCH="tools/MesErpStreams.PipelineBench/bin/$CONFIGURATION/net10.0/meserp-bench-pipeline"
if [ ! -x "$MESERP" ] || [ ! -x "$BENCH" ]; then
  echo "== building (Release)"
  dotnet build tools/MesErpStreams.PipelineBench -c "$CONFIGURATION" -nologo -clp:NoSummary
fi
exec "$BENCH" --meserp "$MESERP" "$@"
