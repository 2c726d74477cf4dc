# MesErpStreams — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
DOTNET ?= dotnet
CONFIGURATION ?= Release
MESERP := src/MesErpStreams.Cli/bin/$(CONFIGURATION)/net10.0/meserp
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: setup build test run bench bench-pipeline chaos clean

## setup: Debian packages, native librdkafka 2.15.1 as a local librdkafka.redist package (idempotent, cached)
setup:
	@bash scripts/setup.sh

## build: restore and build everything; leaves the meserp executable at $(MESERP) (and ./artifacts/meserp)
build: setup
	$(DOTNET) build MesErpStreams.sln -c $(CONFIGURATION) -nologo -clp:NoSummary
	@mkdir -p artifacts && ln -sfn ../$(MESERP) artifacts/meserp

## test: setup, build, then every test project (unit, integration, cross-implementation) and the schema check
test: build
	@bash scripts/test.sh $(CONFIGURATION)
	MESERP=$(MESERP) bash scripts/schema-compat-check.sh

## run: the whole pipeline on this machine (embedded Kafka + registry, ERP simulator, processor, sink, MES simulator)
##      until Ctrl-C; e.g. `make run ARGS="--duration 60 --summary-json summary.json"`
run: build
	$(MESERP) run $(ARGS)

## bench: benchmarks (separate from tests)
bench: build
	@bash scripts/bench.sh

## bench-pipeline: the whole pipeline under offered load (500/2,000/5,000 events/s, ERP at 0 and 50 ms, the highest
##                 sustained rate, 2 processors + 2 sinks as processes); ~20 min; table + artifacts/bench-pipeline.json
##                 (docs/performance.md); e.g. `make bench-pipeline ARGS="--seconds 10 --rates 2000 --erp-latencies 0 --max-rate 0"`
bench-pipeline: build
	@bash scripts/bench-pipeline.sh $(ARGS)

## chaos: the fault suite (separate from tests): the whole pipeline as separate processes under a seeded fault
##        schedule, judged against the ERP ledger; e.g. `make chaos ARGS="--seed 42 --runs 3"` or ARGS="--short"
chaos: build
	tools/MesErpStreams.Chaos/bin/$(CONFIGURATION)/net10.0/meserp-chaos $(ARGS)

clean:
	$(DOTNET) clean MesErpStreams.sln -c $(CONFIGURATION) -nologo >/dev/null
	rm -rf artifacts
