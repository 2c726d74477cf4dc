using System.Diagnostics;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

/// <summary>
/// The ceiling: a raw exactly-once consume → produce loop on Confluent.Kafka that copies the event records' bytes,
/// with the commit settings of the processor (every 100 ms or 10,000 records).
/// </summary>
internal static class Passthrough
{
    public static TimeSpan Run(EmbeddedKafkaCluster cluster, int records, string name)
    {
        var bootstrap = cluster.BootstrapServers;
        cluster.CreateTopic(name + "-out", 6);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = name, EnableAutoCommit = false, EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted, AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, TransactionalId = name + "-tx", EnableIdempotence = true, Acks = Acks.All,
        }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        consumer.Subscribe(T.ProductionConfirmations);
        var next = new Dictionary<TopicPartition, long>();
        var consumed = 0;
        var uncommitted = 0;
        var inTransaction = false;
        long? first = null;
        var lastCommit = Stopwatch.StartNew();
        while (consumed < records || uncommitted > 0)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (cr is { IsPartitionEOF: false })
            {
                first ??= Stopwatch.GetTimestamp();
                if (!inTransaction)
                {
                    producer.BeginTransaction();
                    inTransaction = true;
                }

                Produce(producer, name + "-out", cr.Message);
                next[cr.TopicPartition] = cr.Offset.Value + 1;
                consumed++;
                uncommitted++;
            }

            if (inTransaction && (uncommitted >= 10_000 || lastCommit.Elapsed >= TimeSpan.FromMilliseconds(100) || consumed >= records))
            {
                producer.SendOffsetsToTransaction(next.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)), consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                producer.CommitTransaction(TimeSpan.FromSeconds(30));
                inTransaction = false;
                uncommitted = 0;
                lastCommit.Restart();
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(first!.Value);
        consumer.Close();
        return elapsed;
    }

    private static void Produce(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Headers = message.Headers, Timestamp = message.Timestamp });
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
