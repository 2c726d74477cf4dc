#!/usr/bin/env bash
# CI gate for schema governance: the working tree's schemas/ must be compatible with the earlier versions of
# schemas/ in git history, under each subject's compatibility level (global BACKWARD unless overridden).
#
# It starts an embedded Kafka cluster and schema registry in-process (meserp schemas check --baseline-dir),
# seeds the registry with up to SCHEMA_HISTORY_DEPTH earlier versions of schemas/ (oldest first), and checks the
# working tree against them. Exit code 1 (with a report naming subject, file and field) on an incompatible change.
#
# Which versions are "earlier":
#   - schemas/ modified in the working tree or index: the committed versions, newest = HEAD's.
#   - clean working tree: the versions before the last commit that touched schemas/ (that commit is the change
#     under test, e.g. in CI after the commit).
#   - SCHEMA_BASE_REF=origin/main: the versions up to the merge base with that ref (a pull request is checked
#     against what was released, not against its own intermediate commits).
#   No earlier version (new repository, first schemas commit): the schemas are still parsed and validated.
#
# Environment: MESERP=path/to/meserp (default: dotnet run the CLI project), SCHEMA_HISTORY_DEPTH (default 10),
# SCHEMA_BASE_REF, SCHEMA_COMPATIBILITY (default BACKWARD).
set -euo pipefail
cd "$(dirname "$0")/.."

depth="${SCHEMA_HISTORY_DEPTH:-10}"
level="${SCHEMA_COMPATIBILITY:-BACKWARD}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

start=""
if git rev-parse -q --verify HEAD >/dev/null 2>&1; then
  if [ -n "${SCHEMA_BASE_REF:-}" ]; then
    start="$(git merge-base HEAD "$SCHEMA_BASE_REF")"
  elif [ -n "$(git status --porcelain -- schemas)" ]; then
    start="HEAD"
  else
    last="$(git log -1 --format=%H -- schemas)"
    if [ -n "$last" ] && git rev-parse -q --verify "${last}^" >/dev/null 2>&1; then
      start="${last}^"
    fi
  fi
fi

baselines=()
if [ -n "$start" ]; then
  # Newest first from git log; reversed so the registry is seeded oldest first.
  mapfile -t commits < <(git log -n "$depth" --format=%H "$start" -- schemas | tac)
  for c in "${commits[@]}"; do
    dir="$tmp/$c"
    mkdir -p "$dir"
    if git archive "$c" -- schemas 2>/dev/null | tar -x -C "$dir" && [ -f "$dir/schemas/subjects.json" ]; then
      baselines+=(--baseline-dir "$dir/schemas")
      echo "schema-compat-check: baseline $(git log -1 --format='%h %s' "$c")"
    fi
  done
fi

if [ "${#baselines[@]}" -eq 0 ]; then
  echo "schema-compat-check: no earlier schemas/ in history; validating the working tree's schemas on their own"
  mkdir -p "$tmp/empty"
  baselines=(--baseline-dir "$tmp/empty")
fi

if [ -n "${MESERP:-}" ]; then
  cmd=("$MESERP")
else
  cmd=(dotnet run --project src/MesErpStreams.Cli --no-launch-profile --)
fi

exec "${cmd[@]}" schemas check --schemas-dir schemas --compatibility "$level" "${baselines[@]}"
