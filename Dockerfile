# syntax=docker/dockerfile:1
# The meserp image: one executable for every role (process, sink, edge, erp-sim, replay, topics, schemas, ...).
#   docker build -t meserp:dev .
#   docker run --rm meserp:dev --help
# Build stage: the .NET 10 SDK restores and publishes the CLI. Native librdkafka is built from source here with the
# same script and patches `make setup` uses (scripts/build-librdkafka.sh), linked against this image's own OpenSSL,
# Cyrus SASL (libsasl2.so.2), zstd, lz4, zlib and libcurl, and packed as librdkafka.redist <LibrdkafkaPackageVersion>
# into .nuget/local-feed, which nuget.config lists. The official librdkafka.redist is never used: its linux-x64
# library needs RHEL 8's libsasl2.so.3, which Debian and Ubuntu (this image and the runtime one) do not have.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential pkg-config python3 nodejs npm \
       libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the native build reads, so its layer is rebuilt when the build id, the script or a patch changes.
COPY Directory.Packages.props ./
COPY scripts/build-librdkafka.sh scripts/
COPY native native
RUN bash scripts/build-librdkafka.sh build /opt/librdkafka \
    && bash scripts/build-librdkafka.sh pack /opt/librdkafka .nuget/local-feed
# Build settings, src/ and schemas/ (see .dockerignore).
COPY . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/MesErpStreams.Cli -c Release -r linux-x64 --self-contained false -o /app -nologo \
    && test -f /app/librdkafka.so \
    && grep -qa "$(bash scripts/build-librdkafka.sh identity | cut -d' ' -f1)" /app/librdkafka.so

# Runtime stage: ASP.NET Core shared framework (the workers serve /metrics and health endpoints with Kestrel),
# Ubuntu 24.04. librdkafka links OpenSSL, Cyrus SASL, zstd, lz4, zlib and libcurl dynamically; curl serves the
# docker-compose health checks.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3t64 libsasl2-2 libzstd1 liblz4-1 zlib1g libcurl4t64 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
COPY --from=build /src/schemas /opt/meserp/schemas
# Fail the build when a shared library librdkafka needs is missing.
RUN ! ldd /app/librdkafka.so | grep -q "not found" \
    && ln -s /app/meserp /usr/local/bin/meserp \
    && mkdir -p /var/lib/meserp \
    && chown "$APP_UID:$APP_UID" /var/lib/meserp
# Writable state (processor stores, ERP simulator ledger, edge outbox) lives under /var/lib/meserp: mount a volume
# there, and an emptyDir/tmpfs on /tmp, and the root filesystem can be read-only. Relative default paths
# (data/processor, erp-ledger.db, data/edge/outbox.db) resolve under it.
WORKDIR /var/lib/meserp
VOLUME ["/var/lib/meserp"]
# The workers bind their own ports (--metrics-port, erp-sim --port); no default ASP.NET Core URL.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The base image's non-root user "app" (uid 1654); Kubernetes manifests set runAsUser 1654 to match.
USER $APP_UID
ENTRYPOINT ["meserp"]
CMD ["--help"]
