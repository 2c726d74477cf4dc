using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.Sink;

namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Reads the event, dead-letter, command, result and master-data topics and the ERP ledger into a <see cref="ReconcileInput"/>.</summary>
internal sealed class InputCollector(TopicReader reader, ISchemaRegistryClient registry, ErpLedgerClient erp, MappingOptions mapping)
{
    private static readonly string PostingResultsTopic = new ErpSinkOptions().ResultsTopic;
    private static readonly List<string> RetryTopics = new ErpSinkOptions().RetryTopics;

    private static readonly string[] EventTopics =
    [
        PipelineTopology.Topics.ProductionConfirmations, PipelineTopology.Topics.ScrapReports,
        PipelineTopology.Topics.MaterialConsumptions, PipelineTopology.Topics.QualityHolds,
    ];

    /// <summary>Records that could not be decoded (skipped, reported as warnings).</summary>
    public List<string> Warnings { get; } = [];

    public async Task<ReconcileInput> CollectAsync(ReconcileScope scope, DateTimeOffset? readSince, CancellationToken ct)
    {
        var snapshot = DateTimeOffset.UtcNow;
        string[] topics = [.. EventTopics, PipelineTopology.Topics.EventsDeadLetter, PipelineTopology.Topics.PostingCommands, PostingResultsTopic,
            PipelineTopology.Topics.WorkOrders, PipelineTopology.Topics.Materials, .. RetryTopics];
        var ends = reader.EndOffsets(topics);

        var master = new SnapshotMasterData();
        await ReadAsync<WorkOrder>(ends[PipelineTopology.Topics.WorkOrders], null, (_, o) => master.Orders[EventKeys.WorkOrder(o.Plant, o.OrderNumber)] = o, ct);
        await ReadAsync<Material>(ends[PipelineTopology.Topics.Materials], null, (_, m) => master.Materials[EventKeys.Material(m.Plant, m.MaterialNumber)] = m, ct);

        var events = new List<ObservedEvent>();
        void Add(ConsumeResult<byte[]?, byte[]?> r, MesEvent e) =>
            events.Add(new ObservedEvent(e, r.Message.Timestamp.UtcDateTime, Map(e, master, scope), $"{r.Topic}[{r.Partition.Value}]@{r.Offset.Value}"));
        await ReadAsync<ProductionConfirmation>(ends[EventTopics[0]], readSince, (r, v) => Add(r, MesEvent.From(v)), ct);
        await ReadAsync<ScrapReport>(ends[EventTopics[1]], readSince, (r, v) => Add(r, MesEvent.From(v)), ct);
        await ReadAsync<MaterialConsumption>(ends[EventTopics[2]], readSince, (r, v) => Add(r, MesEvent.From(v)), ct);
        await ReadAsync<QualityHold>(ends[EventTopics[3]], readSince, (r, v) => Add(r, MesEvent.From(v)), ct);

        var deadLetters = new Dictionary<Guid, string>();
        await reader.ReadAsync(ends[PipelineTopology.Topics.EventsDeadLetter], readSince, r =>
        {
            if (Header(r.Message.Headers, PipelineHeaders.EventId) is { } id && Guid.TryParse(id, out var g))
            {
                deadLetters[g] = Header(r.Message.Headers, PipelineHeaders.Reason) ?? Header(r.Message.Headers, "__meserp.errors.stage") ?? "DEAD_LETTERED";
            }

            return ValueTask.CompletedTask;
        }, ct);

        var commands = new List<ErpPostingCommand>();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadAsync<ErpPostingCommand>(ends[PipelineTopology.Topics.PostingCommands], readSince, (r, c) =>
        {
            commands.Add(c);
            if (Header(r.Message.Headers, PipelineHeaders.EventTopic) is { } t && Header(r.Message.Headers, PipelineHeaders.EventPartition) is { } p
                && Header(r.Message.Headers, PipelineHeaders.EventOffset) is { } o)
            {
                origins.TryAdd(c.IdempotencyKey, $"{t}[{p}]@{o}");
            }
        }, ct);
        var results = new List<PostingResult>();
        await ReadAsync<PostingResult>(ends[PostingResultsTopic], readSince, (_, p) => results.Add(p), ct);

        var retrying = new Dictionary<string, RetryState>(StringComparer.Ordinal);
        for (var tier = 1; tier <= RetryTopics.Count; tier++)
        {
            var t = tier;
            await ReadAsync<ErpPostingCommand>(ends[RetryTopics[tier - 1]], readSince, (r, c) => retrying[c.IdempotencyKey] = RetryOf(t, r.Message.Headers), ct);
        }

        // Last, so the ledger is at least as new as every record read.
        var ledger = await erp.EntriesAsync(scope.Plant, ct);
        return new ReconcileInput(events, deadLetters, commands, results, ledger, snapshot, retrying, origins);
    }

    /// <summary>What the pipeline's mapping makes of the event with today's master data (null if it cannot map it).</summary>
    private ErpPostingCommand? Map(MesEvent e, IMasterData master, ReconcileScope scope)
    {
        if (!scope.InRange(e.OccurredAt) || !scope.Contains(e.Plant, e.WorkOrder))
        {
            return null;
        }

        try
        {
            return CommandMapper.Map(e, master, e.OccurredAt, mapping).Command;
        }
        catch (Exception x) when (x is ArgumentException or InvalidOperationException or OverflowException)
        {
            // An event the processor would dead-letter; the command actually emitted (if any) is then the reference.
            return null;
        }
    }

    private async Task ReadAsync<T>(List<TopicPartitionOffset> ends, DateTimeOffset? since, Action<ConsumeResult<byte[]?, byte[]?>, T> add, CancellationToken ct)
        where T : class, IAvroContract<T>
    {
        var deserializer = new AvroDeserializer<T>(registry, T.Schema);
        var topic = ends[0].Topic;
        await reader.ReadAsync(ends, since, async r =>
        {
            if (r.Message.Value is null)
            {
                return; // tombstone
            }

            T value;
            try
            {
                value = await deserializer.DeserializeAsync(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, topic, r.Message.Headers));
            }
            catch (AvroSerdeException e) when (e.InnerException is SchemaRegistryException { StatusCode: null } sre)
            {
                throw new ReconcileInputException($"--schema-registry-url: {sre.Message}", e);
            }
            catch (Exception e) when (e is AvroSerdeException or Avro.AvroException or InvalidDataException)
            {
                Warnings.Add($"{topic} [{r.Partition.Value}] @{r.Offset.Value}: not decodable as {typeof(T).Name}, skipped ({e.Message})");
                return;
            }

            add(r, value);
        }, ct);
    }

    private static RetryState RetryOf(int tier, Headers? h)
    {
        var failure = Header(h, SinkHeaders.FailureClass) is { } cls ? $"{cls}: {Header(h, SinkHeaders.Message)}" : null;
        return new RetryState(tier,
            int.TryParse(Header(h, SinkHeaders.Attempts), System.Globalization.CultureInfo.InvariantCulture, out var a) ? a : 0,
            failure,
            long.TryParse(Header(h, SinkHeaders.DueAt), System.Globalization.CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    private static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    private sealed class SnapshotMasterData : IMasterData
    {
        public Dictionary<string, WorkOrder> Orders { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Material> Materials { get; } = new(StringComparer.Ordinal);

        public WorkOrder? FindWorkOrder(string plant, string orderNumber) => Orders.GetValueOrDefault(EventKeys.WorkOrder(plant, orderNumber));

        public Material? FindMaterial(string plant, string materialNumber) => Materials.GetValueOrDefault(EventKeys.Material(plant, materialNumber));
    }
}
