using System.CommandLine;

namespace MesErpStreams.ErpSimulator;

/// <summary>The <c>meserp erp-sim</c> command.</summary>
public static class ErpSimulatorCommand
{
    /// <summary>Environment variable holding the API bearer token (tokens never go on the command line).</summary>
    public const string TokenVariable = "MESERP_ERPSIM_TOKEN";

    /// <summary>Environment variable holding the admin bearer token (defaults to the API token).</summary>
    public const string AdminTokenVariable = "MESERP_ERPSIM_ADMIN_TOKEN";

    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        [nameof(FaultOptions.LatencyMs)] = "--latency-ms",
        [nameof(FaultOptions.LatencyJitterMs)] = "--latency-jitter-ms",
        [nameof(FaultOptions.ErrorRate)] = "--error-rate",
        [nameof(FaultOptions.ThrottleRate)] = "--throttle-rate",
        [nameof(FaultOptions.MaxRequestsPerSecond)] = "--max-rps",
        [nameof(FaultOptions.RetryAfterSeconds)] = "--retry-after",
        [nameof(FaultOptions.SlowResponseRate)] = "--slow-rate",
        [nameof(FaultOptions.SlowResponseDelayMs)] = "--slow-ms",
        [nameof(ErpSimulatorOptions.IdempotencyHeader)] = "--idempotency-header",
        [nameof(ErpSimulatorOptions.MaxBatchSize)] = "--max-batch-size",
    };

    /// <summary>Creates the command: runs the simulator until Ctrl+C.</summary>
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port)", DefaultValueFactory = _ => 8085 };
        var ledger = new Option<string>("--ledger") { Description = "SQLite ledger file", DefaultValueFactory = _ => "erp-ledger.db" };
        var header = new Option<string>("--idempotency-header") { Description = "Header carrying the idempotency key", DefaultValueFactory = _ => "Idempotency-Key" };
        var maxBatch = new Option<int>("--max-batch-size")
        {
            Description = "Most postings per POST /api/erp/v1/batch request", DefaultValueFactory = _ => ErpSimulatorOptions.DefaultMaxBatchSize,
        };
        var latency = new Option<int>("--latency-ms") { Description = "Added latency per posting (ms)" };
        var jitter = new Option<int>("--latency-jitter-ms") { Description = "Random extra latency 0..N ms" };
        var errorRate = new Option<double>("--error-rate") { Description = "Fraction 0..1 of postings answered 503" };
        var throttleRate = new Option<double>("--throttle-rate") { Description = "Fraction 0..1 of postings answered 429" };
        var maxRps = new Option<int>("--max-rps") { Description = "Postings per second above which 429 is answered (0 = unlimited)" };
        var retryAfter = new Option<int>("--retry-after") { Description = "Retry-After seconds sent with 429", DefaultValueFactory = _ => 1 };
        var slowRate = new Option<double>("--slow-rate") { Description = "Fraction 0..1 of postings answered only after --slow-ms" };
        var slowMs = new Option<int>("--slow-ms") { Description = "Delay of slow answers (ms)", DefaultValueFactory = _ => 30_000 };
        var outage = new Option<bool>("--outage") { Description = "Start in a full outage (503 for every posting)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random fault draws", DefaultValueFactory = _ => 12345 };

        var cmd = new Command("erp-sim", $"Run the HTTP ERP simulator (ledger in SQLite; bearer token from ${TokenVariable} if set)")
        {
            host, port, ledger, header, maxBatch, latency, jitter, errorRate, throttleRate, maxRps, retryAfter, slowRate, slowMs, outage, seed,
        };
        var metrics = new MesErpStreams.Observability.MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new ErpSimulatorOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                LedgerPath = parse.GetValue(ledger)!,
                IdempotencyHeader = parse.GetValue(header)!,
                MaxBatchSize = parse.GetValue(maxBatch),
                BearerToken = Environment.GetEnvironmentVariable(TokenVariable),
                AdminToken = Environment.GetEnvironmentVariable(AdminTokenVariable),
                Faults = new FaultOptions
                {
                    LatencyMs = parse.GetValue(latency),
                    LatencyJitterMs = parse.GetValue(jitter),
                    ErrorRate = parse.GetValue(errorRate),
                    ThrottleRate = parse.GetValue(throttleRate),
                    MaxRequestsPerSecond = parse.GetValue(maxRps),
                    RetryAfterSeconds = parse.GetValue(retryAfter),
                    SlowResponseRate = parse.GetValue(slowRate),
                    SlowResponseDelayMs = parse.GetValue(slowMs),
                    Outage = parse.GetValue(outage),
                    Seed = parse.GetValue(seed),
                },
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                var option = e.ParamName is { } p && OptionNames.TryGetValue(p, out var o) ? $"{o}: " : string.Empty;
                await Console.Error.WriteLineAsync($"erp-sim: {option}{e.Message}");
                return 2;
            }

            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            await using var sim = await ErpSimulatorHost.StartAsync(options, ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: fall through to a clean shutdown.
            }

            return 0;
        });
        return cmd;
    }
}
