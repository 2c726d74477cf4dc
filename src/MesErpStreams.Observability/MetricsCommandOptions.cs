using System.CommandLine;

namespace MesErpStreams.Observability;

/// <summary>
/// The <c>--metrics-port</c> and <c>--metrics-host</c> options of a long-running command, and starting the endpoint
/// from them. Usage in a command factory:
/// <code>
/// var metrics = new MetricsCommandOptions(defaultPort: 9464);
/// metrics.AddTo(cmd);
/// cmd.SetAction(async (parse, ct) =>
/// {
///     await using var endpoint = await metrics.StartAsync(parse, [restored, erpReachable], ct);
///     ...
/// });
/// </code>
/// </summary>
public sealed class MetricsCommandOptions
{
    /// <summary>Creates the options.</summary>
    /// <param name="defaultPort">Port used when <c>--metrics-port</c> is not given; null: no endpoint unless the option is given.</param>
    public MetricsCommandOptions(int? defaultPort = null)
    {
        Port = new Option<int?>("--metrics-port")
        {
            Description = "Port of the /metrics and /health endpoint (0 = any free port)"
                + (defaultPort is { } p ? $"; default {p}" : "; no endpoint when omitted"),
            DefaultValueFactory = _ => defaultPort,
        };
        Port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } v && v is < 0 or > 65535)
            {
                r.AddError($"--metrics-port must be 0..65535, got {v}");
            }
        });
        Host = new Option<string>("--metrics-host")
        {
            Description = "Address the metrics endpoint binds (default 127.0.0.1)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        Host.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (!System.Net.IPAddress.TryParse(v, out _))
            {
                r.AddError($"--metrics-host must be an IP address, got '{v}'");
            }
        });
    }

    /// <summary>The <c>--metrics-port</c> option.</summary>
    public Option<int?> Port { get; }

    /// <summary>The <c>--metrics-host</c> option.</summary>
    public Option<string> Host { get; }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Port);
        command.Options.Add(Host);
    }

    /// <summary>Endpoint options from the parsed command line, or null when no port was given and there is no default.</summary>
    public MetricsEndpointOptions? Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Port) is { } port
            ? new MetricsEndpointOptions { Port = port, Host = parse.GetValue(Host) ?? "127.0.0.1" }
            : null;
    }

    /// <summary>Starts the endpoint when enabled; null otherwise (<c>await using</c> accepts null).</summary>
    public async Task<MetricsEndpointHandle?> StartAsync(ParseResult parse, IEnumerable<IReadinessCheck>? readinessChecks, CancellationToken cancellationToken)
    {
        var options = Bind(parse);
        if (options is null)
        {
            return null;
        }

        var handle = await MetricsEndpoint.StartAsync(options, readinessChecks, cancellationToken).ConfigureAwait(false);
        // One parseable line on stderr (tests and operators using --metrics-port 0 learn the port from it).
        await Console.Error.WriteLineAsync($"metrics.url={handle.MetricsUrl}").ConfigureAwait(false);
        return handle;
    }
}
