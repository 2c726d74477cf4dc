using System.Diagnostics.Metrics;

namespace MesErpStreams.Observability.UnitTests;

/// <summary>A meter with a unique name under an exported prefix, plus an exporter limited to it.</summary>
internal sealed class TestMeter : IDisposable
{
    public TestMeter(Action<PrometheusExporterOptions>? configure = null)
    {
        var name = "MesErpStreams.Test." + Guid.NewGuid().ToString("N");
        Meter = new Meter(name);
        var options = new PrometheusExporterOptions();
        options.MeterPrefixes.Clear();
        options.MeterPrefixes.Add(name);
        configure?.Invoke(options);
        Exporter = new PrometheusExporter(options);
    }

    public Meter Meter { get; }

    public PrometheusExporter Exporter { get; }

    public string[] Lines() => Exporter.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
