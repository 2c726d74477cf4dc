using MesErpStreams.Edge.Internal;
using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesErpStreams.Edge;

/// <summary>
/// The plant edge producer: accepts MES events into a durable SQLite outbox (an accepted event is fsync'd before
/// <see cref="AcceptAsync(IReadOnlyList{EdgeEvent}, CancellationToken)"/> returns) and forwards them to Kafka in
/// acceptance order (so in order per key) with a transactional, idempotent producer (acks=all), deleting rows only
/// after their Kafka transaction committed. Kafka or the schema registry being unreachable only delays forwarding.
/// Metrics: Meter <c>MesErpStreams.Edge</c> (outbox depth, bytes, age; accepted, rejected, forwarded).
/// </summary>
public sealed class EdgeProducer : IAsyncDisposable
{
    private readonly SqliteOutboxStore _store;
    private readonly EdgeProducerOptions _options;
    private readonly EdgeMetrics _metrics;
    private readonly OutboxForwarder _forwarder;
    private readonly CancellationTokenSource _stop = new();
    private Task? _forwarding;

    private EdgeProducer(SqliteOutboxStore store, EdgeProducerOptions options, ISchemaRegistryClient registry, ILogger logger)
    {
        _store = store;
        _options = options;
        _metrics = new EdgeMetrics(store);
        _forwarder = new OutboxForwarder(store, options, registry, _metrics, logger);
    }

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> the edge reports to.</summary>
    public static string MeterName => EdgeMetrics.MeterName;

    /// <summary>Events waiting in the outbox.</summary>
    public long OutboxDepth => _store.Count;

    /// <summary>When the oldest waiting event was accepted, or null when the outbox is empty.</summary>
    public DateTimeOffset? OldestWaiting => _store.OldestAcceptedAt;

    /// <summary>Events forwarded (committed to Kafka) by this instance.</summary>
    public long Forwarded => _forwarder.Forwarded;

    /// <summary>The outbox's stable id (headers <see cref="EdgeHeaders.EdgeId"/>, default transactional id).</summary>
    public string EdgeId => _store.EdgeId;

    /// <summary>Opens (or creates) the outbox. Call <see cref="Start"/> to begin forwarding.</summary>
    /// <param name="options">Settings; validated.</param>
    /// <param name="registry">Schema registry client used to find the event schemas' ids when forwarding.</param>
    /// <param name="logger">Logger; none when null.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static async Task<EdgeProducer> OpenAsync(EdgeProducerOptions options, ISchemaRegistryClient registry, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        options.Kafka.Validate();
        var store = await SqliteOutboxStore.OpenAsync(options.OutboxPath, cancellationToken);
        return new EdgeProducer(store, options, registry, logger ?? NullLogger.Instance);
    }

    /// <summary>Starts the background forwarder (idempotent).</summary>
    public void Start() => _forwarding ??= Task.Run(() => _forwarder.RunAsync(_stop.Token));

    /// <summary>Durably accepts a batch of events, all or none.</summary>
    /// <param name="events">Validated events (<see cref="EdgeEvent.From"/>, <see cref="MesEventJson.TryParse(string, out EdgeEvent?, out string?)"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="OutboxFullException">The batch would exceed <see cref="EdgeProducerOptions.MaxEvents"/> or <see cref="EdgeProducerOptions.MaxBytes"/>.</exception>
    public async Task AcceptAsync(IReadOnlyList<EdgeEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendAsync(events, DateTimeOffset.UtcNow, _options.MaxEvents, _options.MaxBytes, cancellationToken);
        }
        catch (OutboxFullException)
        {
            _metrics.Rejected.Add(events.Count);
            throw;
        }

        _metrics.Accepted.Add(events.Count);
        _forwarder.Wake();
    }

    /// <summary>Validates and durably accepts one event record.</summary>
    /// <param name="mesEvent">A ProductionConfirmation, ScrapReport, MaterialConsumption or QualityHold.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">Not a valid event.</exception>
    /// <exception cref="OutboxFullException">The outbox is full.</exception>
    public Task AcceptAsync(object mesEvent, CancellationToken cancellationToken = default) => AcceptAsync([EdgeEvent.From(mesEvent)], cancellationToken);

    /// <summary>Counts a rejected input (for the <c>meserp.edge.events.rejected</c> metric).</summary>
    public void CountRejected() => _metrics.Rejected.Add(1);

    /// <summary>Completes when the outbox is empty (everything accepted so far is in Kafka).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task WaitUntilDrainedAsync(CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (_store.Count > 0)
        {
            if (_forwarding is { IsCompleted: true } f)
            {
                await f;
                throw new InvalidOperationException("the forwarder stopped before the outbox drained");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>Stops forwarding (whatever is not committed stays in the outbox) and closes the outbox.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_forwarding is not null)
        {
            await _forwarding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _forwarder.Dispose();
        _metrics.Dispose();
        await _store.DisposeAsync();
        _stop.Dispose();
    }
}
