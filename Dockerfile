# syntax=docker/dockerfile:1
# The meserp image: one executable for every role (process, sink, edge, erp-sim, replay, topics, schemas, ...).
#   docker build -t meserp:dev .
#   docker run --rm meserp:dev --help
# Build stage: the .NET 10 SDK restores and publishes the CLI. Native librdkafka 2.15.1 comes from the
# librdkafka.redist package: from nuget.org in a connected build, or from the local feed .nuget/local-feed that
# `make setup` (scripts/setup.sh) fills by building librdkafka from source, when it is in the build context.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Build settings, src/, schemas/ and, when present, .nuget/local-feed (see .dockerignore). nuget.config lists the
# local feed, so the directory must exist even when empty.
COPY . .
RUN mkdir -p .nuget/local-feed
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/MesErpStreams.Cli -c Release -r linux-x64 --self-contained false -o /app -nologo \
    && test -f /app/librdkafka.so

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
