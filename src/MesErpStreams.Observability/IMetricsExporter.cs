namespace MesErpStreams.Observability;

/// <summary>
/// The seam between the instruments (System.Diagnostics.Metrics) and the wire format served at <c>/metrics</c>.
/// <see cref="PrometheusExporter"/> is the built-in implementation.
/// </summary>
/// <remarks>
/// To swap in OpenTelemetry once its Prometheus exporter is available: implement this interface over a
/// <c>MeterProvider</c> built with <c>AddMeter("MesErpStreams.*")</c> and the Prometheus exporter (write its scrape
/// response in <see cref="WriteAsync"/>), and pass it as <see cref="MetricsEndpointOptions.Exporter"/>. Nothing else
/// changes: the components only create instruments and never see the exporter.
/// </remarks>
public interface IMetricsExporter : IDisposable
{
    /// <summary>The HTTP content type of the exposition (e.g. <c>text/plain; version=0.0.4; charset=utf-8</c>).</summary>
    string ContentType { get; }

    /// <summary>Collects the current values (observable instruments are read now) and writes one exposition.</summary>
    /// <param name="output">Destination stream; not closed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(Stream output, CancellationToken cancellationToken);
}
