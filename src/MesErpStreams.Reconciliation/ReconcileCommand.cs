using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MesErpStreams.Hosting;
using MesErpStreams.Observability;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation;

/// <summary>
/// <c>meserp reconcile</c>: compares, per plant and work order over a time range, what MES reported (the event topics)
/// with what the ERP posted (<c>erp.posting-results</c> and the ERP ledger API), prints every gap (missing, extra,
/// quantity mismatch) with the events behind it and exits 0 (no gaps), 1 (gaps), 2 (bad flags, unreadable input) or 3 (nothing settled yet: no verdict).
/// </summary>
public static class ReconcileCommand
{
    /// <summary>Environment variable with the ERP bearer token (also <c>Reconcile:ErpBearerToken</c> in configuration).</summary>
    public const string ErpTokenVariable = "MESERP_RECONCILE_ERP_TOKEN";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var registryUrl = RegistryOptions.Url();
        var erpUrl = new Option<string?>("--erp-url")
        {
            Description = $"ERP ledger API base URL. Default: Reconcile:ErpUrl from --config, else http://127.0.0.1:8085/. Bearer token from ${ErpTokenVariable} (or Reconcile:ErpBearerToken).",
        };
        var from = TimeOption("--from", "Only events with occurredAt at or after this: ISO 8601 (UTC if no offset) or a duration ago (30m, 2h, 1d). Default: the topics' beginning.");
        var to = TimeOption("--to", "Only events with occurredAt before this (same forms as --from). Default: no upper bound.");
        var plant = new Option<string?>("--plant") { Description = "Only this plant." };
        var workOrder = new Option<string?>("--work-order") { Description = "Only this work order." };
        var settle = DurationOption("--settle", "Events published (record timestamp) less than this long ago are in flight, not expected in the ERP yet; covers the pipeline's latency and the sink's retry tiers.", "2m");
        var lookback = DurationOption("--lookback", "With --from, topics are read from this long before it (by record timestamp), so late-published events and their commands are found.", "1d");
        var timeout = DurationOption("--timeout", "Timeout of Kafka metadata requests and ERP calls.", "30s");
        var scale = new Option<int>("--quantity-scale") { Description = "Decimals of base-unit quantities, as the processor's --quantity-scale (0-6).", DefaultValueFactory = _ => 3 };
        CommonOptions.InRange(scale, 0, 6);
        var rounding = new Option<MidpointRounding>("--rounding") { Description = "Rounding of converted quantities, as the processor's --rounding.", DefaultValueFactory = _ => MidpointRounding.AwayFromZero };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of text." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the JSON report to this file." };
        var allRows = new Option<bool>("--all-rows") { Description = "Print every plant/order figure, not only those that do not balance." };
        var interval = new Option<TimeSpan?>("--interval")
        {
            Description = "Repeat every interval until Ctrl-C (keeps the metrics fresh). Default: once; 5m when --metrics-port is given.",
            CustomParser = r => CommonOptions.ParseDuration(r, "--interval"),
        };
        var metrics = new MetricsCommandOptions(defaultPort: null);

        var command = new Command("reconcile",
            "Compare what MES reported (event topics) with what the ERP posted (posting results, ERP ledger) per plant and work order: " +
            "confirmed, scrapped and consumed quantities, holds placed and released. Prints every gap with the events behind it; exit 0 no gaps, 1 gaps, 2 bad flags or unreadable input, 3 nothing settled yet (every event in scope still in flight).")
        {
            bootstrap, kafkaProps, config, registryUrl, erpUrl, from, to, plant, workOrder, settle, lookback, timeout, scale, rounding, json, report, allRows, interval,
        };
        metrics.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var url = parse.GetValue(erpUrl) ?? configuration["Reconcile:ErpUrl"] ?? "http://127.0.0.1:8085/";
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var erp) || erp.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--erp-url: '{url}' is not an absolute http(s) URL.");
            }

            if (parse.GetValue(from) is { } f && parse.GetValue(to) is { } t && f >= t)
            {
                throw new ArgumentException("--from must be before --to.");
            }

            var endpoint = metrics.Bind(parse);
            var settings = new ReconcileSettings
            {
                Kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps)),
                Registry = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl)),
                ErpUrl = erp,
                ErpBearerToken = Environment.GetEnvironmentVariable(ErpTokenVariable) is { Length: > 0 } token ? token : configuration["Reconcile:ErpBearerToken"],
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Plant = Blank(parse.GetValue(plant)),
                WorkOrder = Blank(parse.GetValue(workOrder)),
                Settle = CommonOptions.DurationValue(parse, settle),
                Lookback = CommonOptions.DurationValue(parse, lookback),
                Timeout = CommonOptions.DurationValue(parse, timeout),
                Mapping = new MappingOptions { QuantityScale = parse.GetValue(scale), Rounding = parse.GetValue(rounding) },
                Json = parse.GetValue(json),
                AllRows = parse.GetValue(allRows),
                ReportFile = parse.GetValue(report),
                Metrics = endpoint,
                Interval = parse.GetValue(interval) ?? (endpoint is null ? null : TimeSpan.FromMinutes(5)),
            };
            return await ReconcileRunner.RunAsync(settings, Console.Out, Console.Error, ct);
        });
        return command;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Option<TimeSpan?> DurationOption(string name, string description, string defaultText) =>
        CommonOptions.DurationWithDefault(name, description, defaultText, r => ParseNonNegative(r, name));

    private static TimeSpan? ParseNonNegative(ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 0)
        {
            return null;
        }

        var text = r.Tokens[0].Value.Trim();
        if (CommonOptions.TryParseDuration(text, out var v) && v >= TimeSpan.Zero)
        {
            return v;
        }

        r.AddError($"{name}: '{text}' is not a duration (examples: 0, 90s, 5m, 1h, 00:01:30).");
        return null;
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (!text.Contains('-', StringComparison.Ordinal) && CommonOptions.TryParseDuration(text, out var ago) && ago > TimeSpan.Zero)
            {
                return DateTimeOffset.UtcNow - ago;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return t;
            }

            r.AddError($"{name}: '{text}' is neither an ISO 8601 time nor a duration ago (30m, 2h, 1d).");
            return null;
        },
    };
}
