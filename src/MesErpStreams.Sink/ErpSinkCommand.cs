using System.CommandLine;
using MesErpStreams.Hosting;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.Sink.Erp;
using MesErpStreams.Sink.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink;

/// <summary>The <c>meserp sink</c> command.</summary>
public static class ErpSinkCommand
{
    /// <summary>Environment variable with the ERP bearer token.</summary>
    public const string ErpTokenVariable = "MESERP_SINK_ERP_TOKEN";

    /// <summary>Environment variable with the ERP OAuth2 client secret.</summary>
    public const string ErpClientSecretVariable = "MESERP_SINK_ERP_CLIENT_SECRET";

    /// <summary>
    /// Creates the command. Settings come from (later wins) the shared <c>Kafka</c> and <c>SchemaRegistry</c>
    /// sections, the <c>Sink</c> section, each from <c>--config</c> (JSON) then environment variables
    /// (<c>MESERP_Kafka__*</c>, <c>MESERP_SchemaRegistry__*</c>, <c>MESERP_Sink__*</c>), then the command-line options;
    /// <c>--kafka-property key=value</c> passes any librdkafka property through. Secrets only from the environment or
    /// the config file.
    /// </summary>
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var registryUrlOption = RegistryOptions.Url();
        var erpUrl = new Option<string?>("--erp-url") { Description = "ERP API base URL (default http://127.0.0.1:8085/)" };
        var group = new Option<string?>("--group") { Description = "Consumer group (default meserp-sink)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Keys posted at once, each in order (default 256)" };
        var calls = new Option<int?>("--calls-in-flight") { Description = "ERP calls (postings or batches) in flight (default 16)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Postings per ERP batch call, 1 = no batching (default 100)" };
        var linger = new Option<string?>("--batch-linger") { Description = "Wait for more postings before sending a batch that is not full (default 5ms)" };
        var rps = new Option<double?>("--rps") { Description = "ERP calls per second (a batch is one call), 0 = unlimited (default 20)" };
        var delays = new Option<string?>("--retry-delays") { Description = "Delays of the retry tiers (default 5s,1m,10m)" };
        var timeout = new Option<string?>("--erp-timeout") { Description = "Timeout of one ERP call (default 10s)" };
        var oauthUrl = new Option<string?>("--erp-oauth-token-url") { Description = $"OAuth2 token endpoint (client credentials; secret from ${ErpClientSecretVariable})" };
        var oauthClient = new Option<string?>("--erp-oauth-client-id") { Description = "OAuth2 client id" };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the result schema if missing" };
        var kafka = CommonOptions.KafkaProperties(); // validates key=value at parse time
        kafka.Aliases.Add("--kafka");
        var config = CommonOptions.ConfigFile();

        var cmd = new Command("sink", "Post ERP commands from Kafka to the ERP API: ordered, throttled, retried, dead-lettered")
        {
            bootstrap, registryUrlOption, erpUrl, group, concurrency, calls, batchSize, linger, rps, delays, timeout, oauthUrl, oauthClient, autoRegister, kafka, config,
        };
        var metrics = new MesErpStreams.Observability.MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            ErpSinkSettings settings;
            try
            {
                settings = BindSettings(parse, CommonOptions.BuildConfiguration(parse.GetValue(config)));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or FileNotFoundException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"sink: {e.Message}");
                return 2;
            }

            // Before the sink, so the exporter sees its instruments from the first increment.
            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.TimestampFormat = "HH:mm:ss ").SetMinimumLevel(LogLevel.Information));
            using var registryClient = new CachedSchemaRegistryClient(settings.Registry);
            if (!await RegistryCheck.CheckAtStartAsync("sink", registryClient, settings.Registry.Url, Console.Error, logs.CreateLogger("meserp.sink"), ct))
            {
                return 2;
            }

            using var sink = ErpSinkService.Create(settings.Sink, settings.Erp, registryClient, logs, parse.GetValue(autoRegister));
            await sink.StartAsync(ct);
            endpoint?.AddReadinessCheck(MesErpStreams.Observability.ReadinessCheck.From("consuming", () => sink.ExecuteTask is { IsCompleted: false }));
            endpoint?.AddReadinessCheck(MesErpStreams.Observability.ReadinessCheck.From("erp available", _ => ValueTask.FromResult(ErpAvailability(sink))));
            try
            {
                await sink.ExecuteTask!.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await sink.StopAsync(CancellationToken.None);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or Confluent.Kafka.KafkaException)
            {
                await Console.Error.WriteLineAsync($"sink: {e.Message}");
                return 1;
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>Readiness: not ready while the breaker holds postings back, saying since when the ERP has been unavailable.</summary>
    internal static MesErpStreams.Observability.ReadinessResult ErpAvailability(ErpSinkService sink) =>
        sink.ErpCircuitState == 0 || sink.ErpUnavailableSince is not { } since
            ? MesErpStreams.Observability.ReadinessResult.Ready
            : MesErpStreams.Observability.ReadinessResult.NotReady(
                $"ERP unavailable since {since:yyyy-MM-ddTHH:mm:ssZ} ({(DateTimeOffset.UtcNow - since).TotalSeconds:0} s): postings are held and retried in place, none is dead-lettered for it");

    /// <summary>
    /// The settings <c>meserp sink</c> starts with: the shared <c>Kafka</c> and <c>SchemaRegistry</c> sections, the
    /// <c>Sink</c> section over them, then the flags of <paramref name="parse"/>, validated. Deployment tests bind
    /// manifests through this same method.
    /// </summary>
    /// <param name="parse">A parsed <c>meserp sink</c> command line.</param>
    /// <param name="configuration">Configuration (file and <c>MESERP_*</c> environment, prefix removed).</param>
    /// <exception cref="ArgumentException">A setting is missing or invalid; the message names it.</exception>
    public static ErpSinkSettings BindSettings(ParseResult parse, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Sink");
        var options = new ErpSinkOptions();
        section.Bind(options);
        var erp = new HttpErpClientOptions { BaseAddress = new Uri("http://127.0.0.1:8085/") };
        section.GetSection("Erp").Bind(erp);

        // The shared sections every command reads (Kafka:BootstrapServers, Kafka:Properties:*, SchemaRegistry:*) are
        // the base; the Sink section and the flags override them.
        var shared = KafkaClientOptions.FromConfiguration(configuration);
        foreach (var (key, value) in shared.Properties)
        {
            options.Kafka.TryAdd(key, value);
        }

        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            options.BootstrapServers = shared.BootstrapServers;
        }

        var registry = RegistryOptions.Bind(configuration, parse.GetValue<string?>("--schema-registry-url") ?? section["SchemaRegistryUrl"]);
        options.BootstrapServers = parse.GetValue<string?>("--bootstrap-servers") ?? options.BootstrapServers;
        options.GroupId = parse.GetValue<string?>("--group") ?? options.GroupId;
        options.MaxConcurrency = parse.GetValue<int?>("--concurrency") ?? options.MaxConcurrency;
        options.MaxCallsInFlight = parse.GetValue<int?>("--calls-in-flight") ?? options.MaxCallsInFlight;
        options.BatchSize = parse.GetValue<int?>("--batch-size") ?? options.BatchSize;
        if (parse.GetValue<string?>("--batch-linger") is { } l)
        {
            options.BatchLinger = DurationList.ParseOne(l, "--batch-linger");
        }

        options.RequestsPerSecond = parse.GetValue<double?>("--rps") ?? options.RequestsPerSecond;
        if (parse.GetValue<string?>("--retry-delays") is { } d)
        {
            options.RetryDelays = DurationList.Parse(d, "--retry-delays");
        }

        foreach (var kv in parse.GetValue<string[]>("--kafka-property") ?? [])
        {
            var i = kv.IndexOf('=', StringComparison.Ordinal); // the option's validator guarantees key=value
            options.Kafka[kv[..i]] = kv[(i + 1)..];
        }

        if (parse.GetValue<string?>("--erp-url") is { } u)
        {
            erp.BaseAddress = Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--erp-url '{u}' is not an absolute URL");
        }

        if (parse.GetValue<string?>("--erp-timeout") is { } t)
        {
            erp.Timeout = DurationList.ParseOne(t, "--erp-timeout");
        }

        // MESERP_SINK_ERP_TOKEN / MESERP_SINK_ERP_CLIENT_SECRET, through the configuration's environment provider.
        erp.BearerToken = configuration[ErpTokenVariable[CommonOptions.EnvironmentPrefix.Length..]] ?? erp.BearerToken;
        if (parse.GetValue<string?>("--erp-oauth-token-url") is { } o)
        {
            erp.OAuthTokenEndpoint = Uri.TryCreate(o, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--erp-oauth-token-url '{o}' is not an absolute URL");
        }

        erp.OAuthClientId = parse.GetValue<string?>("--erp-oauth-client-id") ?? erp.OAuthClientId;
        erp.OAuthClientSecret = configuration[ErpClientSecretVariable[CommonOptions.EnvironmentPrefix.Length..]] ?? erp.OAuthClientSecret;
        options.Validate();
        erp.Validate();
        return new ErpSinkSettings(options, erp, registry);
    }
}
