using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Kafka;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Hosting;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.Sink;

namespace MesErpStreams.Chaos;

/// <summary>Where a missing document's event stopped on its way to the ERP.</summary>
internal enum Stage
{
    /// <summary>The event never reached its topic (the edge or the feed lost it).</summary>
    NotOnEventTopic,

    /// <summary>On its topic, but the processor wrote nothing for it: no command, no dead letter, not waiting.</summary>
    NotProcessed,

    /// <summary>Held in a processor's pending store, waiting for master data or behind an earlier event.</summary>
    WaitingInPendingStore,

    /// <summary>Dead-lettered by the processor.</summary>
    EventDeadLettered,

    /// <summary>Its command is on erp.posting-commands but the ERP has no document.</summary>
    CommandNotPosted,

    /// <summary>Its command was parked in a sink retry tier and not posted.</summary>
    InRetryTier,

    /// <summary>Its command was dead-lettered by the sink.</summary>
    CommandDeadLettered,
}

/// <summary>One missing document and where its event stopped.</summary>
internal sealed record Whereabout(ExpectedCommand Command, Stage Stage, string Detail);

/// <summary>
/// For every missing document, where its event stopped, read from the topics after the drain: the event topics, the
/// processor's dead letters and the changelog of its pending store (committed: what any instance restores), the
/// command topic, the sink's retry tiers and dead letters. Makes a loss quick to locate: a stage, a task, a key.
/// </summary>
internal static class Whereabouts
{
    private static readonly string[] EventTopics =
    [
        PipelineTopology.Topics.ProductionConfirmations, PipelineTopology.Topics.ScrapReports, PipelineTopology.Topics.MaterialConsumptions,
        PipelineTopology.Topics.QualityHolds,
    ];

    public static IReadOnlyList<Whereabout> Locate(IReadOnlyList<ExpectedCommand> missing, string bootstrapServers, string registryUrl, string applicationId,
        IEnumerable<string> retryTopics, string sinkDeadLetterTopic, IReadOnlyList<DeadLetter> eventDeadLetters, IReadOnlyDictionary<string, string> masterDeliveries)
    {
        if (missing.Count == 0)
        {
            return [];
        }

        var wanted = missing.Select(m => m.EventId).ToHashSet();
        var kafka = new KafkaClientOptions { BootstrapServers = bootstrapServers };
        var onTopic = new Dictionary<Guid, string>();
        foreach (var topic in EventTopics)
        {
            Scan(kafka, topic, wanted, (id, r) => onTopic.TryAdd(id, $"{topic}[{r.Partition.Value}]@{r.Offset.Value}"));
        }

        var commands = new Dictionary<Guid, string>();
        Scan(kafka, PipelineTopology.Topics.PostingCommands, wanted, (id, r) => commands.TryAdd(id, $"{PipelineTopology.Topics.PostingCommands}[{r.Partition.Value}]@{r.Offset.Value}"));
        var tiers = new Dictionary<Guid, string>();
        foreach (var topic in retryTopics)
        {
            Scan(kafka, topic, wanted, (id, r) => tiers[id] = $"{topic}[{r.Partition.Value}]@{r.Offset.Value}");
        }

        var sinkDead = new Dictionary<Guid, string>();
        Scan(kafka, sinkDeadLetterTopic, wanted, (id, r) => sinkDead.TryAdd(id,
            $"{sinkDeadLetterTopic}[{r.Partition.Value}]@{r.Offset.Value}: {Text(r.Message.Headers, SinkHeaders.FailureClass) ?? "no failure class"}: {Text(r.Message.Headers, SinkHeaders.Message)}"));
        var eventDead = eventDeadLetters.Where(d => d.EventId is { } id && wanted.Contains(id)).GroupBy(d => d.EventId!.Value).ToDictionary(g => g.Key, g => g.First().Reason);

        Dictionary<Guid, WaitingEvent> waiting;
        using (var registry = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registryUrl }))
        {
            waiting = WaitingEvents.Read(kafka, applicationId, RegistrySerdes.Codecs(registry, new AvroSerializerConfig { AutoRegisterSchemas = false }), TimeSpan.FromSeconds(60))
                .Where(w => w.EventId is { } id && wanted.Contains(id)).ToDictionary(w => w.EventId!.Value);
        }

        var masterOnTopics = MasterKeysOnTopics(kafka, waiting.Values.Select(w => w.WaitingFor).OfType<string>());
        return missing.Select(m =>
        {
            var id = m.EventId;
            if (waiting.TryGetValue(id, out var w))
            {
                var master = w.WaitingFor is { } k
                    ? $"; {k}: {masterDeliveries.GetValueOrDefault(k, "not published by the feed")}, {(masterOnTopics.Contains(k) ? "on its topic" : "NOT on its topic")}"
                    : string.Empty;
                var why = (w.BehindEarlierEvent ? $"behind an earlier event of {w.OrderingKey} that waits for {w.WaitingFor}" : $"waits for {w.WaitingFor}") + master;
                return new Whereabout(m, Stage.WaitingInPendingStore,
                    string.Create(CultureInfo.InvariantCulture, $"task {w.Task}, since {w.Since:HH:mm:ss}, {why} (consumed at {w.SourceTopic}[{w.SourcePartition}]@{w.SourceOffset})"));
            }

            if (eventDead.TryGetValue(id, out var reason))
            {
                return new Whereabout(m, Stage.EventDeadLettered, reason);
            }

            if (sinkDead.TryGetValue(id, out var dead))
            {
                return new Whereabout(m, Stage.CommandDeadLettered, dead);
            }

            if (tiers.TryGetValue(id, out var tier))
            {
                return new Whereabout(m, Stage.InRetryTier, "last parked at " + tier);
            }

            if (commands.TryGetValue(id, out var command))
            {
                return new Whereabout(m, Stage.CommandNotPosted, command);
            }

            return onTopic.TryGetValue(id, out var at)
                ? new Whereabout(m, Stage.NotProcessed, "event at " + at)
                : new Whereabout(m, Stage.NotOnEventTopic, "no record with its event id on the event topics");
        }).ToList();
    }

    /// <summary>Which of <paramref name="masterKeys"/> (<c>work-order:…</c>, <c>material:…</c>) the master-data topics hold.</summary>
    private static HashSet<string> MasterKeysOnTopics(KafkaClientOptions kafka, IEnumerable<string> masterKeys)
    {
        var wanted = masterKeys.ToHashSet(StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return found;
        }

        foreach (var (topic, prefix) in new[] { (PipelineTopology.Topics.WorkOrders, "work-order:"), (PipelineTopology.Topics.Materials, "material:") })
        {
            TopicReading.ReadToEnd(kafka, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromSeconds(60), r =>
            {
                var key = prefix + Encoding.UTF8.GetString(r.Message.Key ?? []);
                if (wanted.Contains(key))
                {
                    found.Add(key);
                }
            });
        }

        return found;
    }

    private static void Scan(KafkaClientOptions kafka, string topic, HashSet<Guid> wanted, Action<Guid, ConsumeResult<byte[], byte[]>> found) =>
        TopicReading.ReadToEnd(kafka, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromSeconds(60), r =>
        {
            if (Text(r.Message.Headers, PipelineHeaders.EventId) is { } s && Guid.TryParse(s, out var id) && wanted.Contains(id))
            {
                found(id, r);
            }
        });

    private static string? Text(Headers? headers, string name) => headers is not null && headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;
}
