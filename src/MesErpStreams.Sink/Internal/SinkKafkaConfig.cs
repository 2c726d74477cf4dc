using Confluent.Kafka;

namespace MesErpStreams.Sink.Internal;

/// <summary>librdkafka configurations of the sink: pass-through settings first, then the ones correctness depends on.</summary>
internal static class SinkKafkaConfig
{
    public static ConsumerConfig Consumer(ErpSinkOptions o)
    {
        var c = new ConsumerConfig(Merge(o.Kafka, o.Consumer))
        {
            BootstrapServers = o.BootstrapServers,
            GroupId = o.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = c0(o.Consumer) ?? AutoOffsetReset.Earliest,
            // Range keeps partition p of the command topic and of every retry tier on one instance (key ordering state).
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        MesErpStreams.Kafka.Configuration.GroupTimeouts.Apply(c);
        return c;

        static AutoOffsetReset? c0(Dictionary<string, string> d) =>
            d.TryGetValue("auto.offset.reset", out var v) && Enum.TryParse<AutoOffsetReset>(v, ignoreCase: true, out var r) ? r : null;
    }

    public static ConsumerConfig Scanner(ErpSinkOptions o) => new(Merge(o.Kafka, o.Consumer))
    {
        BootstrapServers = o.BootstrapServers,
        GroupId = o.GroupId + ".scan",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
    };

    public static ProducerConfig Producer(ErpSinkOptions o) => new(Merge(o.Kafka, o.Producer))
    {
        BootstrapServers = o.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = o.Producer.ContainsKey("linger.ms") ? null : 5,
    };

    /// <summary>Checks that every topic exists and that the retry tiers have the command topic's partition count.</summary>
    /// <exception cref="InvalidOperationException">A topic is missing or partition counts differ.</exception>
    public static void CheckTopics(ErpSinkOptions o)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(Merge(o.Kafka, [])) { BootstrapServers = o.BootstrapServers }).Build();
        int Partitions(string topic)
        {
            var md = admin.GetMetadata(topic, TimeSpan.FromSeconds(15));
            var t = md.Topics.FirstOrDefault(x => x.Topic == topic);
            if (t is null || t.Error.IsError || t.Partitions.Count == 0)
            {
                throw new InvalidOperationException($"topic '{topic}' does not exist ({t?.Error.Reason ?? "no metadata"}); create it with 'meserp topics apply'");
            }

            return t.Partitions.Count;
        }

        var n = Partitions(o.CommandsTopic);
        foreach (var r in o.RetryTopics)
        {
            var m = Partitions(r);
            if (m != n)
            {
                throw new InvalidOperationException($"retry topic '{r}' has {m} partitions but '{o.CommandsTopic}' has {n}; they must be equal");
            }
        }

        Partitions(o.DeadLetterTopic);
        Partitions(o.ResultsTopic);
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> a, Dictionary<string, string> b)
    {
        var d = new Dictionary<string, string>(a, StringComparer.Ordinal);
        foreach (var (k, v) in b)
        {
            d[k] = v;
        }

        return d;
    }
}
