using Confluent.Kafka;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Hosting;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.Sink;

namespace MesErpStreams.Lineage.Internal;

/// <summary>
/// Finds every record of one event in a time range: the four event topics, mes.events.dlq, erp.posting-commands, its
/// retry tiers and dead letters, erp.posting-results. A record is matched by its <c>meserp.event.id</c> headers when it
/// has them (edge, simulator, processor and sink write them); only records without them are decoded (registry serdes)
/// to compare the event id in the value.
/// </summary>
internal sealed class LineageTracer(KafkaClientOptions kafka, ISchemaRegistryClient registry, string applicationId = PipelineTopology.DefaultApplicationId)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The topics of the path with the default sink topic names.</summary>
    public static IReadOnlyList<LineageTopic> DefaultTopics { get; } = BuildTopics(new ErpSinkOptions());

    public async Task<EventLineage> TraceAsync(Guid eventId, DateTimeOffset from, DateTimeOffset to, TimeSpan timeout, CancellationToken ct)
    {
        var decoder = new LineageDecoder(registry);
        long decoded = 0;
        long undecodable = 0;
        var reader = new TopicReader(kafka, MetadataTimeout);
        var read = await Task.Run(() => reader.ReadAsync(DefaultTopics, from, to, async (topic, r) =>
        {
            switch (LineageHeaders.EventId(r.Message.Headers, eventId))
            {
                case LineageHeaders.Match.Yes:
                    return true;
                case LineageHeaders.Match.No:
                    return false;
                default:
                    decoded++;
                    try
                    {
                        return (await decoder.EventIdsAsync(topic, r.Message.Headers, r.Message.Value)).Contains(eventId);
                    }
                    catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                    {
                        // Not ours to judge (a foreign producer's record, a schema the registry lost): counted and reported.
                        undecodable++;
                        return false;
                    }
            }
        }, timeout, ct), ct);
        var hops = await LineageBuilder.BuildAsync(read.Records, decoder);
        var missing = read.MissingTopics.ToList();
        if (read.Records.Any(r => r.Topic.Stage == Stage.Event) && !read.Records.Any(r => r.Topic.Stage is Stage.Command or Stage.EventDeadLetter))
        {
            // Published but neither processed nor dead-lettered: it may be held back, waiting for master data.
            var changelog = WaitingEvents.ChangelogTopic(applicationId);
            try
            {
                var waiting = await Task.Run(() => WaitingEvents.Read(kafka, applicationId, RegistrySerdes.Codecs(registry, new AvroSerializerConfig { AutoRegisterSchemas = false }), timeout), ct);
                if (waiting.FirstOrDefault(w => w.EventId == eventId) is { } w)
                {
                    hops = LineageBuilder.WithWaiting(hops, w, changelog);
                }
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                missing.Add(changelog);
            }
        }

        return new EventLineage(eventId, hops, read.Scanned, missing, from, to) { Decoded = decoded, Undecodable = undecodable };
    }

    private static List<LineageTopic> BuildTopics(ErpSinkOptions sink)
    {
        var topics = new List<LineageTopic>
        {
            new(PipelineTopology.Topics.ProductionConfirmations, Stage.Event),
            new(PipelineTopology.Topics.ScrapReports, Stage.Event),
            new(PipelineTopology.Topics.MaterialConsumptions, Stage.Event),
            new(PipelineTopology.Topics.QualityHolds, Stage.Event),
            new(PipelineTopology.Topics.EventsDeadLetter, Stage.EventDeadLetter),
            new(PipelineTopology.Topics.PostingCommands, Stage.Command),
        };
        topics.AddRange(sink.RetryTopics.Select((t, i) => new LineageTopic(t, Stage.Retry, i + 1)));
        topics.Add(new(sink.DeadLetterTopic, Stage.CommandDeadLetter));
        topics.Add(new(sink.ResultsTopic, Stage.Result));
        return topics;
    }
}
