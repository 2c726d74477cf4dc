using System.Diagnostics.Metrics;

namespace MesErpStreams.Sink.Internal;

/// <summary>The sink's instruments (names in <see cref="SinkTelemetry"/>).</summary>
internal sealed class SinkMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _postings;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _endToEnd;
    private readonly Histogram<double> _occurredToAck;
    private readonly Histogram<double> _commandToAck;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _rateLimitWaits;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _heldInPlace;

    public SinkMetrics(Func<int> circuitState, Func<DateTimeOffset?>? unavailableSince = null)
    {
        _meter = new Meter(SinkTelemetry.MeterName);
        _postings = _meter.CreateCounter<long>(SinkTelemetry.Postings, description: "Postings by final outcome");
        _callDuration = _meter.CreateHistogram<double>(SinkTelemetry.ErpCallDuration, "s", "ERP call latency");
        _endToEnd = _meter.CreateHistogram<double>(SinkTelemetry.EndToEndLatency, "s", "Event accepted at the edge to ERP acknowledgement");
        _occurredToAck = _meter.CreateHistogram<double>(SinkTelemetry.OccurredToAckLatency, "s", "Event occurredAt to ERP acknowledgement");
        _commandToAck = _meter.CreateHistogram<double>(SinkTelemetry.CommandToAckLatency, "s", "Command creation to ERP acknowledgement");
        _batchSize = _meter.CreateHistogram<int>(SinkTelemetry.BatchSize, "{posting}", "Postings per ERP call");
        _retries = _meter.CreateCounter<long>(SinkTelemetry.Retries, description: "Commands sent to a retry tier");
        _deadLetters = _meter.CreateCounter<long>(SinkTelemetry.DeadLetters, description: "Dead-lettered commands by failure class");
        _rateLimitWaits = _meter.CreateCounter<long>(SinkTelemetry.RateLimitWaits, description: "ERP calls delayed by the rate limit or Retry-After");
        _inFlight = _meter.CreateUpDownCounter<long>(SinkTelemetry.InFlight, description: "ERP calls in flight");
        _meter.CreateObservableGauge(SinkTelemetry.CircuitState, circuitState, description: "0 closed, 1 half-open, 2 open");
        _heldInPlace = _meter.CreateCounter<long>(SinkTelemetry.HeldInPlace, description: "ERP calls of a posting repeated in place because the ERP was unavailable or throttling, by failure class");
        _meter.CreateObservableGauge(SinkTelemetry.ErpUnavailableSince, () => unavailableSince?.Invoke() is { } at ? at.ToUnixTimeMilliseconds() / 1000.0 : 0, "s",
            "Unix time of the first call of the current run of calls that found the ERP unavailable; 0 while it answers");

        // Series with a fixed label set start at 0, so dashboards show a flat line instead of "no data" until the
        // first rejection or throttle (failure classes and retry tiers are open-ended and appear when they occur).
        foreach (var outcome in (ReadOnlySpan<string>)["posted", "duplicate", "rejected", "dead_lettered"])
        {
            _postings.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }

        _rateLimitWaits.Add(0);
    }

    public void Posting(string outcome) => _postings.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Call(string outcome, TimeSpan elapsed, int postings)
    {
        _callDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        _batchSize.Record(postings);
    }

    /// <summary>Latencies of one acknowledged posting; a missing timestamp (a command from before the headers existed) is skipped.</summary>
    public void Acknowledged(DateTimeOffset ackAt, DateTimeOffset? acceptedAt, DateTimeOffset? occurredAt, DateTimeOffset commandCreatedAt)
    {
        if (acceptedAt is { } a)
        {
            _endToEnd.Record(Math.Max(0, (ackAt - a).TotalSeconds));
        }

        if (occurredAt is { } o)
        {
            _occurredToAck.Record(Math.Max(0, (ackAt - o).TotalSeconds));
        }

        _commandToAck.Record(Math.Max(0, (ackAt - commandCreatedAt).TotalSeconds));
    }

    // Label values are rendered with ToString() by the exporter: "true"/"false" are passed as strings, not bools ("True").
    public void Retry(int tier, bool held) =>
        _retries.Add(1, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("held", held ? "true" : "false"));

    public void DeadLetter(string failureClass) => _deadLetters.Add(1, new KeyValuePair<string, object?>("class", failureClass));

    public void RateLimitWait() => _rateLimitWaits.Add(1);

    public void HeldInPlace(string failureClass) => _heldInPlace.Add(1, new KeyValuePair<string, object?>("class", failureClass));

    public void InFlight(int delta) => _inFlight.Add(delta);

    public void Dispose() => _meter.Dispose();
}
