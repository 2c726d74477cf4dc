namespace MesErpStreams.Observability;

/// <summary>Options of <see cref="MetricsEndpoint"/>.</summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>Address to bind. Default <c>127.0.0.1</c>; use <c>0.0.0.0</c> (or <c>::</c>) to be scraped from other hosts.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port. Default 9464 (the port OpenTelemetry's Prometheus exporter uses); 0 picks a free port.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>Time allowed for all readiness checks of one request; a check still running then counts as not ready. Default 2 s.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Which meters <c>/metrics</c> exports, histogram buckets and series lifetime (see <see cref="PrometheusExportOptions"/>).</summary>
    public PrometheusExportOptions Prometheus { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">Host is not an IP address, port outside 0..65535, timeout not positive or invalid export options.</exception>
    public void Validate()
    {
        if (!System.Net.IPAddress.TryParse(Host, out _))
        {
            throw new ArgumentException($"--metrics-host must be an IP address, got '{Host}'", nameof(Host));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--metrics-port must be 0..65535, got {Port}", nameof(Port));
        }

        if (ReadinessTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ReadinessTimeout must be positive", nameof(ReadinessTimeout));
        }

        Prometheus.Validate();
    }
}
