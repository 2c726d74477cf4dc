#!/usr/bin/env bash
# Runs every test project of the solution (already built by `make build`) and prints one closing line:
# "tests: N passed, N failed, N skipped". Exits non-zero when any test or test run fails.
set -uo pipefail
CONFIGURATION="${1:-Release}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

# Two test assemblies at a time (-m:2; the machines have two cores and the integration tests mostly wait on
# Kafka, HTTP and child processes): about 4.5 min instead of 7.5 serially. Every integration test uses its own
# embedded clusters, servers and ephemeral ports, so assemblies do not see each other.
# A test that hangs for 5 minutes is killed and named (blame), instead of holding the whole run until the
# session timeout; the session timeout is the backstop per assembly.
dotnet test MesErpStreams.sln -c "$CONFIGURATION" --no-build --nologo -m:2 \
  --blame-hang-timeout 5m --blame-hang-dump-type none \
  -- RunConfiguration.TestSessionTimeout=900000 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

summary=$(grep -E '^(Passed|Failed)! +- ' "$LOG" || true)
passed=$(grep -Eo 'Passed: +[0-9]+' <<<"$summary" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' <<<"$summary" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' <<<"$summary" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
assemblies=$(grep -cE '^(Passed|Failed)! +- ' "$LOG" || true)
echo "test assemblies run: $assemblies"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  # CI shows only the tail of the output: repeat what went wrong here, last.
  echo "---- failure digest ----"
  awk '/^Test run for /{asm=$4} /^ +Failed [A-Za-z_]/{print "failed: " $2} /Failed! +- /{print} /inactivity time/{print "hang (killed after 5 min): " asm} /test run was aborted/{print "aborted: " asm} /The test running when the crash occurred/{getline; print "  hung or crashed in: " $0}' "$LOG" | awk '!seen[$0]++' | tail -n 40
  echo "TESTS FAILED (dotnet test exit code $status)" >&2
  exit 1
fi

# The fault suite's short variant (issue 14): the whole pipeline as separate processes (3 brokers, registry, ERP
# simulator, 2 processors, 2 sinks, an edge) under one fault of each class, judged against the ERP ledger: nothing
# lost, nothing doubled, order kept, every bad input dead-lettered or rejected. About 3 minutes. MESERP_CHAOS_SEED
# repeats another schedule; MESERP_SKIP_CHAOS=1 leaves it out (local iterations only: CI always runs it).
if [ "${MESERP_SKIP_CHAOS:-0}" != "1" ]; then
  CHAOS_DIR="$(mktemp -d)"
  echo "---- fault suite, short variant (seed ${MESERP_CHAOS_SEED:-7}) ----"
  tools/MesErpStreams.Chaos/bin/"$CONFIGURATION"/net10.0/meserp-chaos --short --seed "${MESERP_CHAOS_SEED:-7}" --work-dir "$CHAOS_DIR" 2>&1 \
    | grep --line-buffered -vE '^%[0-9]\|'
  chaos_status=${PIPESTATUS[0]}
  if [ "$chaos_status" -ne 0 ]; then
    echo "FAULT SUITE FAILED (meserp-chaos exit $chaos_status); the run's logs are in $CHAOS_DIR" >&2
    exit 1
  fi
  rm -rf "$CHAOS_DIR"
  echo "fault suite: passed"
fi
