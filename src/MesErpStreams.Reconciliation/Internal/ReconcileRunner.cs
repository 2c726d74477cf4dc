using MesErpStreams.Observability;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Runs reconciliations: read, compare, print, record metrics; once or every interval.</summary>
internal static class ReconcileRunner
{
    /// <summary>Exit code: no gaps.</summary>
    public const int Clean = 0;

    /// <summary>Exit code: gaps found.</summary>
    public const int Gaps = 1;

    /// <summary>Exit code: bad flags or an input that cannot be read.</summary>
    public const int InputError = 2;

    /// <summary>Exit code: nothing was compared yet (every event in scope is still in flight), so no verdict.</summary>
    public const int NothingSettled = 3;

    public static async Task<int> RunAsync(ReconcileSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var endpoint = settings.Metrics is { } m ? await MetricsEndpoint.StartAsync(m, null, ct) : null;
        if (endpoint is not null)
        {
            await stderr.WriteLineAsync($"metrics on {endpoint.MetricsUrl}");
        }

        var exit = await OnceAsync(settings, stdout, stderr, ct);
        if (settings.Interval is not { } interval)
        {
            return exit;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                exit = await OnceAsync(settings, stdout, stderr, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C / SIGTERM: the latest result is the exit code.
        }

        return exit;
    }

    public static async Task<int> OnceAsync(ReconcileSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ReconciliationReport report;
        try
        {
            report = await ReconcileAsync(settings, stderr, ct);
        }
        catch (ReconcileInputException e)
        {
            ReconcileMetrics.Failed();
            await stderr.WriteLineAsync($"meserp reconcile: {e.Message}");
            return InputError;
        }

        ReconcileMetrics.Record(report);
        if (settings.ReportFile is { } file)
        {
            await using var f = file.Create();
            ReportWriter.WriteJson(report, f);
        }

        if (settings.Json)
        {
            using var buffer = new MemoryStream();
            ReportWriter.WriteJson(report, buffer);
            await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        else
        {
            ReportWriter.WriteText(report, stdout, settings.AllRows);
        }

        await stdout.FlushAsync(ct);
        return report.HasGaps ? Gaps : report.NothingSettled ? NothingSettled : Clean;
    }

    public static async Task<ReconciliationReport> ReconcileAsync(ReconcileSettings settings, TextWriter stderr, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        using var registry = new CachedSchemaRegistryClient(settings.Registry);
        using var http = ErpLedgerClient.CreateHttp(settings.ErpUrl, settings.ErpBearerToken, settings.Timeout);
        var collector = new InputCollector(new TopicReader(settings.Kafka, settings.Timeout), registry, new ErpLedgerClient(http), settings.Mapping);
        var scope = settings.ScopeAt(started);
        var input = await collector.CollectAsync(scope, settings.From - settings.Lookback, ct);
        foreach (var w in collector.Warnings)
        {
            await stderr.WriteLineAsync($"warning: {w}");
        }

        return Reconciler.Reconcile(input, scope, started);
    }
}
