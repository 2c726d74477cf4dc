using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Edge.Internal;

/// <summary>
/// Moves outbox rows to Kafka in sequence order, one Kafka transaction per batch. Exactly once across crashes:
/// after every record of a batch is acknowledged (inside the open transaction) the forwarder records the batch and the
/// offset of its first record in the outbox, commits the Kafka transaction, then deletes the rows. On restart
/// <c>InitTransactions</c> completes or aborts whatever the previous process left open, and a recorded batch is
/// checked against Kafka (read_committed) before it is deleted or sent again.
/// </summary>
internal sealed class OutboxForwarder(SqliteOutboxStore store, EdgeProducerOptions options, ISchemaRegistryClient registry, EdgeMetrics metrics, ILogger logger) : IDisposable
{
    private static readonly TimeSpan BlockingTimeout = TimeSpan.FromSeconds(30);
    private readonly Dictionary<EventKind, int> _schemaIds = [];
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly string _transactionalId = options.TransactionalId ?? "meserp-edge-" + store.EdgeId;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    private long _forwarded;

    public void Wake() => _wake.Release();

    public void Dispose() => _wake.Dispose();

    public async Task RunAsync(CancellationToken ct)
    {
        IProducer<string, byte[]>? producer = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    if (producer is null)
                    {
                        producer = CreateProducer();
                        var p = producer;
                        await Task.Run(() => p.InitTransactions(BlockingTimeout), ct);
                        await ResolveInFlightAsync(ct);
                    }

                    var rows = await store.ReadBatchAsync(options.BatchSize, ct);
                    if (rows.Count == 0)
                    {
                        await _wake.WaitAsync(TimeSpan.FromMilliseconds(500), ct);
                        continue;
                    }

                    await ForwardAsync(producer, rows, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is KafkaException or SchemaRegistryException or HttpRequestException or InvalidOperationException or TimeoutException)
                {
                    metrics.ForwardFailures.Add(1);
                    logger.LogWarning("forwarding failed, {Depth} events stay in the outbox and are retried: {Message}", store.Count, e.Message);
                    producer?.Dispose();
                    producer = null;
                    await Task.Delay(options.RetryBackoff, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            producer?.Dispose();
        }
    }

    private async Task ForwardAsync(IProducer<string, byte[]> producer, List<OutboxRow> rows, CancellationToken ct)
    {
        var values = new byte[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            values[i] = Frame(await SchemaIdAsync(rows[i].Event, ct), rows[i].Event.Body.Span);
        }

        producer.BeginTransaction();
        var reports = new DeliveryReport<string, byte[]>?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var index = i;
            var headers = new Headers
            {
                { EdgeHeaders.EdgeId, Encoding.UTF8.GetBytes(store.EdgeId) },
                { EdgeHeaders.Sequence, Encoding.UTF8.GetBytes(row.Seq.ToString(CultureInfo.InvariantCulture)) },
                { EdgeHeaders.EventId, Encoding.UTF8.GetBytes(row.Event.EventId.ToString("D")) },
                { EdgeHeaders.EventType, Encoding.UTF8.GetBytes(row.Event.Kind.ToString()) },
            };
            if (row.Event.TraceParent is { } tp)
            {
                headers.Add(EdgeHeaders.TraceParent, Encoding.UTF8.GetBytes(tp));
            }

            var message = new Message<string, byte[]> { Key = row.Event.Key, Value = values[i], Headers = headers, Timestamp = new Timestamp(row.AcceptedAt) };
            producer.Produce(row.Event.Topic, message, r => reports[index] = r);
        }

        await Task.Run(() => producer.Flush(ct), ct);
        foreach (var r in reports)
        {
            if (r is null || r.Error.IsError || r.Status != PersistenceStatus.Persisted)
            {
                var reason = r is null ? "no delivery report" : r.Error.IsError ? r.Error.Reason : r.Status.ToString();
                throw new InvalidOperationException("a record of the batch was not delivered: " + reason);
            }
        }

        var first = reports[0]!;
        await store.MarkInFlightAsync(new InFlightMarker(rows[0].Seq, rows[^1].Seq, first.Topic, first.Partition.Value, first.Offset.Value), ct);
        await Task.Run(() => producer.CommitTransaction(BlockingTimeout), ct);
        await store.CompleteAsync(rows[^1].Seq, ct);
        Interlocked.Add(ref _forwarded, rows.Count);
        metrics.Forwarded.Add(rows.Count);
        var now = DateTimeOffset.UtcNow;
        foreach (var row in rows)
        {
            metrics.ForwardDelay.Record((now - row.AcceptedAt).TotalSeconds);
        }
    }

    /// <summary>Settles a batch a previous run left between delivery and deletion.</summary>
    private async Task ResolveInFlightAsync(CancellationToken ct)
    {
        if (await store.GetInFlightAsync(ct) is not { } m)
        {
            return;
        }

        var committed = await Task.Run(() => IsCommitted(m, ct), ct);
        logger.LogInformation("outbox batch {First}-{Last} of the previous run was {State} in Kafka", m.FirstSeq, m.LastSeq, committed ? "committed" : "not committed");
        if (committed)
        {
            await store.CompleteAsync(m.LastSeq, ct);
        }
        else
        {
            await store.ClearInFlightAsync(ct);
        }
    }

    private bool IsCommitted(InFlightMarker m, CancellationToken ct)
    {
        var config = options.Kafka.ToConsumerConfig("meserp-edge-verify-" + store.EdgeId, [
            new("isolation.level", "read_committed"), new("enable.auto.commit", "false"), new("enable.partition.eof", "true"),
            new("auto.offset.reset", "latest")]);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        consumer.Assign(new TopicPartitionOffset(m.Topic, m.Partition, m.Offset));
        var deadline = DateTime.UtcNow + BlockingTimeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF || r.Offset.Value > m.Offset)
            {
                return false;
            }

            return r.Message.Headers.TryGetLastBytes(EdgeHeaders.EdgeId, out var id) && Encoding.UTF8.GetString(id) == store.EdgeId
                && r.Message.Headers.TryGetLastBytes(EdgeHeaders.Sequence, out var seq) && Encoding.UTF8.GetString(seq) == m.FirstSeq.ToString(CultureInfo.InvariantCulture);
        }

        throw new TimeoutException($"could not read {m.Topic}[{m.Partition}]@{m.Offset} to settle the previous run's last batch");
    }

    private async ValueTask<int> SchemaIdAsync(EdgeEvent e, CancellationToken ct)
    {
        if (_schemaIds.TryGetValue(e.Kind, out var id))
        {
            return id;
        }

        var subject = e.Topic + "-value";
        var json = EventCodecs.SchemaOf(e.Kind).ToJson();
        id = options.AutoRegisterSchemas
            ? await registry.RegisterSchemaAsync(subject, json, ct)
            : (await registry.LookupSchemaAsync(subject, json, ct)).Id;
        _schemaIds[e.Kind] = id;
        return id;
    }

    private static byte[] Frame(int schemaId, ReadOnlySpan<byte> body)
    {
        var value = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1), schemaId);
        body.CopyTo(value.AsSpan(5));
        return value;
    }

    private IProducer<string, byte[]> CreateProducer()
    {
        var config = options.Kafka.ToProducerConfig([
            new("enable.idempotence", "true"), new("acks", "all"), new("transactional.id", _transactionalId),
            new("transaction.timeout.ms", "60000"), new("message.timeout.ms", "30000"), new("linger.ms", "5")]);
        return new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, m) => logger.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .SetErrorHandler((_, e) => logger.LogDebug("kafka: {Reason}", e.Reason))
            .Build();
    }
}
