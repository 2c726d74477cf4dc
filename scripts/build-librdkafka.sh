#!/usr/bin/env bash
# Builds the native librdkafka MesErpStreams runs on and packs it as a librdkafka.redist NuGet package.
# Used by scripts/setup.sh (cached, on the developer/CI machine) and by the Dockerfile (in the build stage), so the
# machine and the image get their library the same way.
#
#   build-librdkafka.sh build DIR        source → patches → configure → make; installs into DIR (lib/, LICENSES.txt)
#   build-librdkafka.sh pack DIR FEED    DIR's library → FEED/librdkafka.redist.<package version>.nupkg
#   build-librdkafka.sh identity         prints "<build id> <package version>" (from Directory.Packages.props)
#
# Why from source: the official librdkafka.redist's runtimes/linux-x64/native/librdkafka.so is linked against RHEL 8's
# libsasl2.so.3; Debian and Ubuntu ship libsasl2.so.2, so it does not load there (confluent-kafka-dotnet #2264).
# This build links the system's own OpenSSL, Cyrus SASL, zstd, lz4, zlib and libcurl. The source is the newest one
# obtainable here: librdkafka 2.15.1 inside the npm package @confluentinc/kafka-javascript@1.10.1. The patches in
# native/librdkafka/patches (applied in name order) give the build its identity and fix librdkafka's mock cluster,
# which the embedded Kafka cluster is; each patch file says what it changes and why.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_JS_PACKAGE="@confluentinc/kafka-javascript@1.10.1"
PATCHES="$ROOT/native/librdkafka/patches"

prop() {
  local v
  v="$(sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" "$ROOT/Directory.Packages.props" | head -n1)"
  [ -n "$v" ] || { echo "build-librdkafka: property $1 missing in Directory.Packages.props" >&2; exit 1; }
  printf '%s' "$v"
}
LIBRDKAFKA_VERSION="$(prop LibrdkafkaVersion)"
REVISION="$(prop LibrdkafkaBuildRevision)"
BUILD_ID="$LIBRDKAFKA_VERSION-meserp.$REVISION"
PACKAGE_VERSION="$LIBRDKAFKA_VERSION.$REVISION-meserp"

hex_version() { # 2.15.1 -> 020f01ff, as in rdkafka.h's RD_KAFKA_VERSION
  local IFS=.; set -- $1; printf '%02x%02x%02xff' "$1" "$2" "$3"
}

build() {
  local dir="$1" work src
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "$KAFKA_JS_PACKAGE" >/dev/null && tar xzf ./*.tgz)
  src="$work/package/deps/librdkafka"
  grep -q "RD_KAFKA_VERSION 0x$(hex_version "$LIBRDKAFKA_VERSION")" "$src/src/rdkafka.h" \
    || { echo "build-librdkafka: $KAFKA_JS_PACKAGE does not carry librdkafka $LIBRDKAFKA_VERSION" >&2; exit 1; }
  local p
  for p in "$PATCHES"/*.patch; do
    [ -e "$p" ] || continue
    patch -d "$src" -p1 --forward --quiet <"$p" \
      || { echo "build-librdkafka: patch $(basename "$p") does not apply to librdkafka $LIBRDKAFKA_VERSION" >&2; exit 1; }
  done
  rm -rf "$dir"; mkdir -p "$dir"
  if ! (cd "$src" && ./configure --no-download --prefix="$dir" >"$work/configure.log" 2>&1 \
        && make -j"$(nproc)" libs MESERP_BUILD_ID="$BUILD_ID" >"$work/make.log" 2>&1 \
        && make -C src install MESERP_BUILD_ID="$BUILD_ID" >"$work/install.log" 2>&1); then
    echo "build-librdkafka: librdkafka build failed; last lines of the logs:" >&2
    tail -n 30 "$work"/*.log >&2
    exit 1
  fi
  cp "$src/LICENSES.txt" "$dir/LICENSES.txt"
  # The identity is compiled in; a build that does not answer it must not be packed.
  grep -qa "$BUILD_ID" "$dir/lib/librdkafka.so.1" \
    || { echo "build-librdkafka: $dir/lib/librdkafka.so.1 does not carry build id $BUILD_ID" >&2; exit 1; }
  printf '%s\n' "$BUILD_ID" >"$dir/BUILD_ID"
}

pack() {
  local dir="$1" feed="$2" stage
  [ -f "$dir/lib/librdkafka.so.1" ] || { echo "build-librdkafka: no library in $dir (run build first)" >&2; exit 1; }
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' RETURN
  mkdir -p "$stage/runtimes/linux-x64/native" "$feed"
  cp -L "$dir/lib/librdkafka.so.1" "$stage/runtimes/linux-x64/native/librdkafka.so"
  cp "$dir/LICENSES.txt" "$stage/LICENSES.txt"
  cat >"$stage/librdkafka.redist.nuspec" <<XML
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>librdkafka.redist</id>
    <version>$PACKAGE_VERSION</version>
    <authors>Magnus Edenhill, Confluent Inc.</authors>
    <license type="file">LICENSES.txt</license>
    <description>librdkafka $LIBRDKAFKA_VERSION (build $BUILD_ID) for linux-x64, built from source with MesErpStreams' patches (native/librdkafka/patches) and dynamically linked against the system's OpenSSL, Cyrus SASL (libsasl2.so.2), zstd, lz4, zlib and libcurl, by MesErpStreams scripts/build-librdkafka.sh. Not the official package.</description>
    <tags>native librdkafka kafka</tags>
  </metadata>
</package>
XML
  rm -f "$feed"/librdkafka.redist.*.nupkg
  # A nupkg is a zip with the nuspec at its root; NuGet adds the OPC parts itself when it extracts.
  (cd "$stage" && python3 - "$feed/librdkafka.redist.$PACKAGE_VERSION.nupkg" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    for base, _, files in sorted(os.walk(".")):
        for f in sorted(files):
            p = os.path.join(base, f)[2:]
            z.write(p, p)
os.replace(out + ".tmp", out)
PY
  )
}

case "${1:-}" in
  build) build "${2:?usage: build-librdkafka.sh build DIR}" ;;
  pack) pack "${2:?usage: build-librdkafka.sh pack DIR FEED}" "${3:?usage: build-librdkafka.sh pack DIR FEED}" ;;
  identity) printf '%s %s\n' "$BUILD_ID" "$PACKAGE_VERSION" ;;
  *) echo "usage: build-librdkafka.sh build DIR | pack DIR FEED | identity" >&2; exit 2 ;;
esac
