using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// Reads every partition of the global-table topics from the beginning with its own (group-less) consumer:
/// to the end before processing starts, then a bounded batch per stream-loop iteration.
/// </summary>
internal sealed class GlobalTableRunner : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Dictionary<string, GlobalTable> _byTopic;
    private readonly ILogger _logger;

    public GlobalTableRunner(ConsumerConfig config, IEnumerable<GlobalTable> tables, ILogger logger)
    {
        _byTopic = tables.ToDictionary(t => t.Topic);
        _logger = logger;
        _consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) => logger.LogWarning("Global-table consumer error: {Reason}", e.Reason))
            .Build();
    }

    public bool HasTables => _byTopic.Count > 0;

    /// <summary>Assigns all partitions and reads them to their end offsets.</summary>
    public async Task BootstrapAsync(TimeSpan timeout, CancellationToken stop)
    {
        if (_byTopic.Count == 0)
        {
            return;
        }

        var sw = Stopwatch.StartNew();
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var partitions = new List<TopicPartitionOffset>();
        foreach (var topic in _byTopic.Keys)
        {
            var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic);
            if (meta.Error.IsError || meta.Partitions.Count == 0)
            {
                throw new KafkaException(meta.Error.IsError ? meta.Error : new Error(ErrorCode.UnknownTopicOrPart, $"global-table topic '{topic}' has no partitions"));
            }

            partitions.AddRange(meta.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }

        // Partitions already empty never report EOF in time to matter: decide "caught up" from the end offsets.
        var remaining = new HashSet<TopicPartition>();
        foreach (var tpo in partitions)
        {
            var wm = _consumer.QueryWatermarkOffsets(tpo.TopicPartition, TimeSpan.FromSeconds(10));
            if (wm.High.Value > wm.Low.Value)
            {
                remaining.Add(tpo.TopicPartition);
            }
        }

        _consumer.Assign(partitions);
        long applied = 0;
        while (remaining.Count > 0)
        {
            stop.ThrowIfCancellationRequested();
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"global tables not bootstrapped within {timeout}: {remaining.Count} partition(s) not caught up ({string.Join(", ", remaining)})");
            }

            var cr = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (cr is null)
            {
                continue;
            }

            if (cr.IsPartitionEOF)
            {
                remaining.Remove(cr.TopicPartition);
                continue;
            }

            await ApplyAsync(cr, notify: false);
            applied++;
        }

        _logger.LogInformation("Global tables bootstrapped: {Records} records from {Partitions} partitions in {Elapsed} ms",
            applied, partitions.Count, sw.ElapsedMilliseconds);
    }

    /// <summary>Applies up to <paramref name="max"/> new records (notifying subscribers); returns how many.</summary>
    public async ValueTask<int> PollAsync(int max)
    {
        var n = 0;
        while (n < max)
        {
            var cr = _consumer.Consume(TimeSpan.Zero);
            if (cr is null)
            {
                break;
            }

            if (cr.IsPartitionEOF)
            {
                continue;
            }

            await ApplyAsync(cr, notify: true);
            n++;
        }

        return n;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    private async ValueTask ApplyAsync(ConsumeResult<byte[], byte[]> cr, bool notify)
    {
        try
        {
            await _byTopic[cr.Topic].ApplyAsync(cr, notify);
        }
        catch (Exception ex) when (ex is not StreamsProcessingException and not OutOfMemoryException)
        {
            // A master-data record we cannot read must not stop processing; it stays visible in the log.
            _logger.LogError(ex, "Skipped unreadable global-table record {Topic}[{Partition}]@{Offset}", cr.Topic, cr.Partition.Value, cr.Offset.Value);
        }
    }
}
