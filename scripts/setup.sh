#!/usr/bin/env bash
# Provisions everything MesErpStreams needs on a Debian 12 machine with the .NET 10 SDK, Node/npm and apt.
# Idempotent: a second run only checks and finishes in seconds.
#
#  1. Debian packages: build dependencies of librdkafka, and the reference tools the tests use
#     (python3-avro as the Avro oracle, kcat, prometheus/promtool).
#  2. Native librdkafka, always built from source with our patches (scripts/build-librdkafka.sh), cached outside
#     the work tree under MESERP_CACHE_DIR (default ~/.cache/meserp), keyed by build id and by the patches.
#     Never taken from a NuGet source: the official librdkafka.redist does not load on Debian (libsasl2.so.3).
#  3. That library as librdkafka.redist <LibrdkafkaPackageVersion> (e.g. 2.15.1.3-meserp, Directory.Packages.props) in
#     the git-ignored local feed .nuget/local-feed, which nuget.config lists. A stale extraction of the same
#     identity in the NuGet global packages folder (NUGET_PACKAGES) is removed.
#  4. A self-check (tools/MesErpStreams.NativeCheck): loads the library the way the program does, checks its build
#     id, dependencies and mock-cluster API, and round-trips one record through a one-broker embedded cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/scripts/build-librdkafka.sh"
read -r BUILD_ID PACKAGE_VERSION < <(bash "$BUILD" identity)
CACHE_ROOT="${MESERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/meserp}"
INPUTS_HASH="$(cat "$BUILD" "$ROOT"/native/librdkafka/patches/*.patch 2>/dev/null | sha256sum | cut -c1-12)"
CACHE="$CACHE_ROOT/librdkafka-$BUILD_ID-$INPUTS_HASH"
FEED="$ROOT/.nuget/local-feed"
NUPKG="$FEED/librdkafka.redist.$PACKAGE_VERSION.nupkg"
LIB="$CACHE/lib/librdkafka.so.1"
CONFIGURATION="${CONFIGURATION:-Release}"

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] FAILED: %s\n' "$*" >&2; exit 1; }

APT_PACKAGES=(build-essential pkg-config python3 libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev
  libcurl4-openssl-dev python3-avro kcat prometheus curl)

install_debian_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "Debian packages present"; return; fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The library inside a nupkg (a zip), to stdout.
nupkg_library() {
  python3 - "$1" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    sys.stdout.buffer.write(z.read("runtimes/linux-x64/native/librdkafka.so"))
PY
}

build_native() {
  if [ -f "$LIB" ] && [ "$(cat "$CACHE/BUILD_ID" 2>/dev/null)" = "$BUILD_ID" ]; then
    log "native librdkafka $BUILD_ID cached in $CACHE"
    return
  fi
  log "building native librdkafka $BUILD_ID from source with native/librdkafka/patches (about a minute)"
  bash "$BUILD" build "$CACHE"
  log "built $LIB"
}

fill_feed() {
  mkdir -p "$FEED"   # nuget.config lists it; a missing local source fails restore
  if [ -f "$NUPKG" ] && nupkg_library "$NUPKG" | cmp -s - "$LIB"; then
    log "local feed holds librdkafka.redist $PACKAGE_VERSION"
  else
    log "packing librdkafka.redist $PACKAGE_VERSION into $FEED"
    bash "$BUILD" pack "$CACHE" "$FEED"
  fi
  # Restore extracts a package into the global packages folder once and reuses it by identity. An extraction of
  # this identity from another build (another machine's cache, a patch edited without a revision bump) would
  # shadow the feed: remove it, and the next restore extracts the feed's package.
  local global extracted
  global="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
  extracted="${global%/}/librdkafka.redist/${PACKAGE_VERSION,,}"
  if [ -d "$extracted" ] && ! cmp -s "$extracted/runtimes/linux-x64/native/librdkafka.so" "$LIB"; then
    log "removing a stale extraction of librdkafka.redist $PACKAGE_VERSION from $global"
    rm -rf "$extracted"
  fi
}

self_check() {
  local project="$ROOT/tools/MesErpStreams.NativeCheck"
  local out="$project/bin/$CONFIGURATION/net10.0/MesErpStreams.NativeCheck.dll"
  log "self-check: the library the build output loads"
  if ! dotnet build "$project" -c "$CONFIGURATION" -nologo -v q -clp:NoSummary >"$CACHE_ROOT/native-check-build.log" 2>&1; then
    tail -n 30 "$CACHE_ROOT/native-check-build.log" >&2
    die "the self-check project does not build (log: $CACHE_ROOT/native-check-build.log)"
  fi
  timeout 120 dotnet "$out" || die "native librdkafka self-check failed (see above); the library built by setup is $LIB"
}

install_debian_packages
mkdir -p "$CACHE_ROOT"
build_native
fill_feed
self_check
log "done"
