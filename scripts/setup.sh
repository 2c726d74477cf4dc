#!/usr/bin/env bash
# Provisions everything MesErpStreams needs on a Debian 12 machine with the .NET 10 SDK, Node/npm and apt.
# Idempotent: a second run only checks and finishes in seconds.
#
#  1. Debian packages: build dependencies of librdkafka, and the reference tools the tests use
#     (python3-avro as the Avro oracle, kcat, prometheus/promtool).
#  2. Native librdkafka 2.15.1, built from the librdkafka source shipped inside the npm package
#     @confluentinc/kafka-javascript@1.10.1, cached outside the work tree, keyed by version.
#  3. A genuine librdkafka.redist 2.15.1 NuGet package (runtimes/linux-x64/native/librdkafka.so) in the
#     git-ignored local feed .nuget/local-feed, which nuget.config lists beside nuget.org. If a configured
#     NuGet source already serves librdkafka.redist 2.15.1, the build is skipped.
set -euo pipefail

LIBRDKAFKA_VERSION="2.15.1"
KAFKA_JS_PACKAGE="@confluentinc/kafka-javascript@1.10.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${MESERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/meserp}"
CACHE="$CACHE_ROOT/librdkafka-$LIBRDKAFKA_VERSION"
FEED="$ROOT/.nuget/local-feed"
NUPKG="$FEED/librdkafka.redist.$LIBRDKAFKA_VERSION.nupkg"

log() { printf '[setup] %s\n' "$*"; }

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

feed_has_package() { [ -f "$NUPKG" ]; }

# True when a configured remote NuGet source serves librdkafka.redist at our version.
remote_serves_redist() {
  local probe; probe="$(mktemp -d)"
  cat >"$probe/probe.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageDownload Include="librdkafka.redist" Version="[$LIBRDKAFKA_VERSION]" /></ItemGroup>
</Project>
XML
  # Restore with the machine's configured sources only (the probe folder is outside the repository, so the
  # local feed is not among them), into an isolated packages folder.
  if (cd "$probe" && timeout 120 dotnet restore \
        --packages "$probe/pkgs" >/dev/null 2>&1) && [ -d "$probe/pkgs/librdkafka.redist/$LIBRDKAFKA_VERSION" ]; then
    rm -rf "$probe"; return 0
  fi
  rm -rf "$probe"; return 1
}

build_native() {
  if [ -f "$CACHE/install/lib/librdkafka.so.1" ]; then log "native librdkafka $LIBRDKAFKA_VERSION cached in $CACHE"; return; fi
  log "building native librdkafka $LIBRDKAFKA_VERSION from $KAFKA_JS_PACKAGE (about a minute)"
  local work="$CACHE/work"
  rm -rf "$work"; mkdir -p "$work"
  (cd "$work" && npm pack --silent "$KAFKA_JS_PACKAGE" >/dev/null && tar xzf ./*.tgz)
  local src="$work/package/deps/librdkafka"
  grep -q "RD_KAFKA_VERSION 0x020f01ff" "$src/src/rdkafka.h" || { echo "unexpected librdkafka version in $src" >&2; exit 1; }
  (cd "$src" && ./configure --no-download --prefix="$CACHE/install" >"$work/configure.log" 2>&1 \
     && make -j"$(nproc)" libs >"$work/make.log" 2>&1 && make -C src install >"$work/install.log" 2>&1) \
    || { echo "librdkafka build failed; logs in $work" >&2; tail -n 30 "$work"/*.log >&2; exit 1; }
  cp "$src/LICENSES.txt" "$CACHE/install/LICENSES.txt"
  rm -rf "$work"
}

pack_redist() {
  log "packing librdkafka.redist $LIBRDKAFKA_VERSION into $FEED"
  local stage; stage="$(mktemp -d)"
  mkdir -p "$stage/runtimes/linux-x64/native" "$FEED"
  cp -L "$CACHE/install/lib/librdkafka.so.1" "$stage/runtimes/linux-x64/native/librdkafka.so"
  cp "$CACHE/install/LICENSES.txt" "$stage/LICENSES.txt"
  cat >"$stage/librdkafka.redist.nuspec" <<XML
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>librdkafka.redist</id>
    <version>$LIBRDKAFKA_VERSION</version>
    <authors>Magnus Edenhill, Confluent Inc.</authors>
    <license type="file">LICENSES.txt</license>
    <description>librdkafka $LIBRDKAFKA_VERSION built from source for linux-x64 (Debian 12, dynamically linked against the system OpenSSL, SASL, zstd, lz4, zlib and curl) by MesErpStreams scripts/setup.sh.</description>
    <tags>native librdkafka kafka</tags>
  </metadata>
</package>
XML
  # A nupkg is a zip with the nuspec at its root; NuGet adds the OPC parts itself when it extracts.
  (cd "$stage" && python3 - "$NUPKG" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
    for base, _, files in os.walk("."):
        for f in files:
            p = os.path.join(base, f)[2:]
            z.write(p, p)
os.replace(out + ".tmp", out)
PY
  )
  rm -rf "$stage"
  # A stale extraction of an older build in the global packages folder would shadow the new package.
  rm -rf "$HOME/.nuget/packages/librdkafka.redist/$LIBRDKAFKA_VERSION"
}

install_debian_packages
mkdir -p "$FEED"   # nuget.config lists it; a missing local source fails restore
if feed_has_package; then
  log "local feed already holds librdkafka.redist $LIBRDKAFKA_VERSION"
elif [ -f "$CACHE/install/lib/librdkafka.so.1" ]; then
  pack_redist
elif remote_serves_redist; then
  log "a NuGet source serves librdkafka.redist $LIBRDKAFKA_VERSION; using it, no native build needed"
else
  build_native
  pack_redist
fi
log "done"
