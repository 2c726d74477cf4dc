namespace MesErpStreams.Observability.Internal;

/// <summary>Prometheus metric type an instrument is exported as.</summary>
internal enum MetricKind
{
    /// <summary>Monotonic sum (<c>Counter</c>, <c>ObservableCounter</c>).</summary>
    Counter,

    /// <summary>Current value (gauges and up-down counters).</summary>
    Gauge,

    /// <summary>Bucketed distribution (<c>Histogram</c>).</summary>
    Histogram,
}
