using Confluent.Kafka;

namespace MesErpStreams.Streams.IntegrationTests;

/// <summary>Producing inputs and reading committed outputs in integration tests.</summary>
internal static class KafkaTestClient
{
    public static void Produce(string bootstrap, string topic, IEnumerable<(string Key, string Value)> records)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
        }).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(topic, new Message<string, string> { Key = key, Value = value });
        }

        if (producer.Flush(TimeSpan.FromSeconds(30)) != 0)
        {
            throw new TimeoutException($"could not deliver test input to {topic}");
        }
    }

    public static void ProduceRaw(string bootstrap, string topic, byte[] key, byte[] value)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build();
        producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value });
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Fences the producer that uses <paramref name="transactionalId"/>: a new producer with that id initialises
    /// transactions (epoch bump, its open transaction aborted) and goes away.
    /// </summary>
    public static void FenceTransactionalId(string bootstrap, string transactionalId)
    {
        using var zombieKiller = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, TransactionalId = transactionalId }).Build();
        zombieKiller.InitTransactions(TimeSpan.FromSeconds(30));
    }

    /// <summary>Reads committed records from the beginning until <paramref name="expected"/> arrived, then a short grace period for extras.</summary>
    public static async Task<List<ConsumeResult<byte[], byte[]>>> ReadCommittedAsync(string bootstrap, string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? graceEnd = null;
        while (DateTime.UtcNow < deadline && (graceEnd is null || DateTime.UtcNow < graceEnd))
        {
            var cr = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)));
            if (cr is { IsPartitionEOF: false })
            {
                records.Add(cr);
            }

            if (records.Count >= expected && graceEnd is null)
            {
                graceEnd = DateTime.UtcNow.AddSeconds(1);
            }
        }

        consumer.Close();
        return records;
    }
}
