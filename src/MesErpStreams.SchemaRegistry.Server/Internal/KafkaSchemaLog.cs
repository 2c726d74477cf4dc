using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>
/// The durable log behind the registry: a single-partition compacted topic. Start reads it to its end into the
/// store; every change is appended (acks=all, idempotent) before it is applied, so a restart sees exactly what
/// was acknowledged to clients.
/// </summary>
internal sealed class KafkaSchemaLog : IDisposable
{
    private readonly IProducer<byte[], byte[]?> producer;
    private readonly string topic;

    private KafkaSchemaLog(IProducer<byte[], byte[]?> producer, string topic)
    {
        this.producer = producer;
        this.topic = topic;
    }

    public static async Task<KafkaSchemaLog> OpenAsync(EmbeddedSchemaRegistryOptions options, SchemaStore store, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.StartupTimeout);
        await EnsureTopicAsync(options, deadline.Token);
        await Task.Run(() => ReadToEnd(options, store, deadline.Token), deadline.Token);
        var producerConfig = new ProducerConfig(new Dictionary<string, string>(options.KafkaProperties))
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 0,
            ClientId = "meserp-schema-registry",
        };
        var producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();
        return new KafkaSchemaLog(producer, options.Topic);
    }

    public async Task AppendAsync(LogEntry entry, CancellationToken ct)
    {
        var (key, value) = entry.Encode();
        await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]?> { Key = key, Value = value }, ct);
    }

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private static async Task EnsureTopicAsync(EmbeddedSchemaRegistryOptions options, CancellationToken ct)
    {
        var config = new AdminClientConfig(new Dictionary<string, string>(options.KafkaProperties)) { BootstrapServers = options.BootstrapServers };
        using var admin = new AdminClientBuilder(config).Build();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            Metadata metadata;
            try
            {
                metadata = admin.GetMetadata(options.Topic, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                await Task.Delay(200, ct);
                continue;
            }

            var t = metadata.Topics.FirstOrDefault(x => x.Topic == options.Topic);
            if (t is not null && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
            {
                if (t.Partitions.Count != 1)
                {
                    throw new InvalidOperationException(
                        $"schemas topic '{options.Topic}' has {t.Partitions.Count} partitions; it must have exactly 1 (schema ids are assigned in its order). "
                        + "Create it with 1 partition and cleanup.policy=compact before starting the registry (a broker that auto-creates topics gives it its default partition count).");
                }

                return;
            }

            if (t is not null && t.Error.Code is not (ErrorCode.UnknownTopicOrPart or ErrorCode.LeaderNotAvailable))
            {
                throw new InvalidOperationException($"schemas topic '{options.Topic}': {t.Error.Reason}");
            }

            if (t?.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                if (!options.CreateTopic)
                {
                    throw new InvalidOperationException($"schemas topic '{options.Topic}' does not exist and CreateTopic is off.");
                }

                await CreateTopicAsync(admin, options, metadata.Brokers.Count);
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task CreateTopicAsync(IAdminClient admin, EmbeddedSchemaRegistryOptions options, int brokers)
    {
        try
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification
                {
                    Name = options.Topic,
                    NumPartitions = 1,
                    ReplicationFactor = (short)Math.Clamp(brokers, 1, 3),
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
                },
            ]);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            // Another instance created it first.
        }
        catch (KafkaException e)
        {
            throw new InvalidOperationException(
                $"schemas topic '{options.Topic}' does not exist and could not be created ({e.Error.Reason}); create it (1 partition, cleanup.policy=compact) first.", e);
        }
    }

    private static int ReadToEnd(EmbeddedSchemaRegistryOptions options, SchemaStore store, CancellationToken ct)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.KafkaProperties))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "meserp-schema-registry-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var tp = new TopicPartition(options.Topic, 0);
        var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High;
        if (end.Value <= 0)
        {
            return 0;
        }

        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        var applied = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                if (LogEntry.Parse(result.Message.Key, result.Message.Value) is { } entry)
                {
                    store.Apply(entry);
                    applied++;
                }
            }

            if (result.Offset.Value + (result.IsPartitionEOF ? 0 : 1) >= end.Value)
            {
                consumer.Close();
                return applied;
            }
        }
    }
}
