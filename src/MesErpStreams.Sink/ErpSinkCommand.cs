using System.CommandLine;
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
    /// Creates the command. Settings come from (later wins) the <c>Sink</c> section of <c>--config</c> (JSON),
    /// environment variables <c>MESERP_Sink__*</c>, then the command-line options; <c>--kafka key=value</c> passes
    /// any librdkafka property through. Secrets only from the environment or the config file.
    /// </summary>
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka bootstrap servers" };
        var registry = new Option<string?>("--schema-registry-url") { Description = "Schema Registry URL (Confluent API)" };
        var erpUrl = new Option<string?>("--erp-url") { Description = "ERP API base URL (default http://127.0.0.1:8085/)" };
        var group = new Option<string?>("--group") { Description = "Consumer group (default meserp-sink)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "ERP calls in flight (default 8)" };
        var rps = new Option<double?>("--rps") { Description = "ERP requests per second, 0 = unlimited (default 20)" };
        var delays = new Option<string?>("--retry-delays") { Description = "Delays of the retry tiers (default 5s,1m,10m)" };
        var timeout = new Option<string?>("--erp-timeout") { Description = "Timeout of one ERP call (default 10s)" };
        var oauthUrl = new Option<string?>("--erp-oauth-token-url") { Description = $"OAuth2 token endpoint (client credentials; secret from ${ErpClientSecretVariable})" };
        var oauthClient = new Option<string?>("--erp-oauth-client-id") { Description = "OAuth2 client id" };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the result schema if missing" };
        var kafka = new Option<string[]>("--kafka") { Description = "librdkafka property key=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var config = new Option<FileInfo?>("--config") { Description = "JSON configuration file (section Sink)" };

        var cmd = new Command("sink", "Post ERP commands from Kafka to the ERP API: ordered, throttled, retried, dead-lettered")
        {
            bootstrap, registry, erpUrl, group, concurrency, rps, delays, timeout, oauthUrl, oauthClient, autoRegister, kafka, config,
        };
        var metrics = new MesErpStreams.Observability.MetricsCommandOptions(defaultPort: null);
        metrics.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            ErpSinkOptions options;
            HttpErpClientOptions erp;
            string registryUrl;
            try
            {
                var cfg = new ConfigurationBuilder();
                if (parse.GetValue(config) is { } file)
                {
                    cfg.AddJsonFile(file.FullName, optional: false);
                }

                var section = cfg.AddEnvironmentVariables("MESERP_").Build().GetSection("Sink");
                options = new ErpSinkOptions();
                section.Bind(options);
                erp = new HttpErpClientOptions { BaseAddress = new Uri("http://127.0.0.1:8085/") };
                section.GetSection("Erp").Bind(erp);
                registryUrl = parse.GetValue(registry) ?? section["SchemaRegistryUrl"] ?? throw new ArgumentException("--schema-registry-url is required");
                options.BootstrapServers = parse.GetValue(bootstrap) ?? options.BootstrapServers;
                options.GroupId = parse.GetValue(group) ?? options.GroupId;
                options.MaxConcurrency = parse.GetValue(concurrency) ?? options.MaxConcurrency;
                options.RequestsPerSecond = parse.GetValue(rps) ?? options.RequestsPerSecond;
                if (parse.GetValue(delays) is { } d)
                {
                    options.RetryDelays = DurationList.Parse(d, "--retry-delays");
                }

                foreach (var kv in parse.GetValue(kafka) ?? [])
                {
                    var i = kv.IndexOf('=', StringComparison.Ordinal);
                    if (i <= 0)
                    {
                        throw new ArgumentException($"--kafka expects key=value (got '{kv}')");
                    }

                    options.Kafka[kv[..i]] = kv[(i + 1)..];
                }

                if (parse.GetValue(erpUrl) is { } u)
                {
                    erp.BaseAddress = Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--erp-url '{u}' is not an absolute URL");
                }

                if (parse.GetValue(timeout) is { } t)
                {
                    erp.Timeout = DurationList.ParseOne(t, "--erp-timeout");
                }

                erp.BearerToken = Environment.GetEnvironmentVariable(ErpTokenVariable) ?? erp.BearerToken;
                if (parse.GetValue(oauthUrl) is { } o)
                {
                    erp.OAuthTokenEndpoint = new Uri(o);
                }

                erp.OAuthClientId = parse.GetValue(oauthClient) ?? erp.OAuthClientId;
                erp.OAuthClientSecret = Environment.GetEnvironmentVariable(ErpClientSecretVariable) ?? erp.OAuthClientSecret;
                options.Validate();
                erp.Validate();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or FileNotFoundException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"sink: {e.Message}");
                return 2;
            }

            // Before the sink, so the exporter sees its instruments from the first increment.
            await using var endpoint = await metrics.StartAsync(parse, null, ct);
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.TimestampFormat = "HH:mm:ss ").SetMinimumLevel(LogLevel.Information));
            using var registryClient = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registryUrl });
            using var sink = ErpSinkService.Create(options, erp, registryClient, logs, parse.GetValue(autoRegister));
            await sink.StartAsync(ct);
            endpoint?.AddReadinessCheck(MesErpStreams.Observability.ReadinessCheck.From("consuming", () => sink.ExecuteTask is { IsCompleted: false }));
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
}
