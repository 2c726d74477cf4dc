using System.Text;
using MesErpStreams.Observability.Internal;

namespace MesErpStreams.Observability;

/// <summary>
/// Exports System.Diagnostics.Metrics instruments in the Prometheus text exposition format 0.0.4: counters
/// (<c>_total</c>), up-down counters and gauges, observable instruments, histograms with buckets, tags as labels.
/// Listens from construction on; create it before the components whose counters it should see from zero.
/// </summary>
/// <remarks>
/// Names: dots and other invalid characters become underscores, the unit becomes a base-unit suffix
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, <c>{event}</c> dropped) and counters end in <c>_total</c>:
/// counter <c>meserp.pipeline.events</c> with unit <c>{event}</c> is <c>meserp_pipeline_events_total</c>.
/// Measurements are aggregated into cells allocated once per tag set, so recording does not allocate.
/// </remarks>
public sealed class PrometheusExporter : IMetricsExporter
{
    private readonly MetricsAggregator _aggregator;
    private readonly Lock _scrape = new();

    /// <summary>Starts listening to the meters selected by <paramref name="options"/> (default: every <c>MesErpStreams.*</c> meter).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PrometheusExporter(PrometheusExporterOptions? options = null)
    {
        options ??= new PrometheusExporterOptions();
        options.Validate();
        _aggregator = new MetricsAggregator(options);
    }

    /// <inheritdoc/>
    public string ContentType => PrometheusText.ContentType;

    /// <summary>Collects and renders one exposition as a string.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            return Render();
        }
    }

    /// <inheritdoc/>
    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var text = Scrape();

        var bytes = Encoding.UTF8.GetBytes(text);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _aggregator.Dispose();
    }

    private string Render()
    {
        var instruments = _aggregator.Collect();
        var sb = new StringBuilder(16 * 1024);
        ExpositionWriter.Write(sb, instruments, _aggregator.Generation);
        return sb.ToString();
    }
}
