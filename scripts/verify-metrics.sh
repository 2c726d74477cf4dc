#!/usr/bin/env bash
# Verifies the monitoring assets against the real tools (called by `make test`):
#   1. promtool check rules + promtool test rules (alert unit tests) on k8s/monitoring/alerts,
#   2. every dashboard under k8s/monitoring/dashboards is valid JSON,
#   3. `promtool check metrics` on the /metrics exposition (prometheus-net) of every real instrument (unit tests),
#   4. a workload exposing /metrics scraped by a real `prometheus` on loopback: every dashboard and alert
#      expression must be valid, name only existing metrics, and every dashboard panel must return data
#      (tests/MesErpStreams.Observability.IntegrationTests; includes a deliberately broken dashboard that must fail).
# Usage: scripts/verify-metrics.sh [Configuration]   (default Release; MESERP_NO_BUILD=1 to reuse a build;
# MESERP_VERIFY_TARGET=http://127.0.0.1:9464/ to scrape an already running `meserp run --metrics-port 9464`).
set -euo pipefail
CONFIGURATION="${1:-Release}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in promtool prometheus python3; do
  command -v "$tool" >/dev/null || { echo "verify-metrics: $tool not found (run make setup)" >&2; exit 1; }
done

echo "== promtool check rules"
promtool check rules k8s/monitoring/alerts/meserp-alerts.yaml
echo "== promtool test rules"
(cd k8s/monitoring/alerts && promtool test rules meserp-alerts.test.yaml)

echo "== dashboards are valid JSON"
for f in k8s/monitoring/dashboards/*.json; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d.get("panels"), "no panels"' "$f" \
    || { echo "verify-metrics: $f is not a valid dashboard" >&2; exit 1; }
  echo "ok $f"
done

build=()
if [ "${MESERP_NO_BUILD:-0}" = "1" ]; then build=(--no-build); fi

echo "== promtool check metrics on the exposition of every real instrument"
dotnet test tests/MesErpStreams.Observability.UnitTests -c "$CONFIGURATION" "${build[@]}" --nologo \
  --filter "FullyQualifiedName~RealExpositionTests"

echo "== dashboards and alert rules against a real Prometheus scraping a workload"
dotnet test tests/MesErpStreams.Observability.IntegrationTests -c "$CONFIGURATION" "${build[@]}" --nologo \
  --logger "console;verbosity=normal"
echo "verify-metrics: OK"
