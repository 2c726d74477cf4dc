using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Streams;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>
/// validate → dedupe(eventId) → enrich(master data) → map, for all four event types, per partition task. Events
/// whose master data has not arrived wait in the persistent pending store; later events of the same ordering key
/// wait behind them, so one order's postings keep their order. A master-data change releases the waiting chains;
/// a wall-clock punctuation dead-letters heads that waited longer than the pending timeout.
/// </summary>
internal sealed partial class MesEventProcessor(PipelineOptions options) : IProcessor<string, MesEvent, string, object>
{
    private readonly MappingOptions _mapping = options.Mapping;
    private readonly PendingIndex _index = new();
    private readonly List<IDisposable> _subscriptions = [];
    private IProcessorContext<string, object> _context = null!;
    private IKeyValueStore<string, long> _dedupe = null!;
    private IKeyValueStore<string, PendingEvent> _pending = null!;
    private TableMasterData _masterData = null!;
    private long? _oldestArrivalMs;

    public void Init(IProcessorContext<string, object> context)
    {
        _context = context;
        _dedupe = context.GetStateStore<IKeyValueStore<string, long>>(PipelineTopology.DedupeStore);
        _pending = context.GetStateStore<IKeyValueStore<string, PendingEvent>>(PipelineTopology.PendingStore);
        _masterData = new TableMasterData(
            context.GetStateStore<IReadOnlyKeyValueStore<string, WorkOrder?>>(PipelineTopology.WorkOrdersTable),
            context.GetStateStore<IReadOnlyKeyValueStore<string, Material?>>(PipelineTopology.MaterialsTable));
        foreach (var entry in _pending.All())
        {
            _index.Add(entry.Value);
        }

        PipelineMetrics.Pending.Add(_index.Count);
        _oldestArrivalMs = _index.OldestArrivalMs();
        PipelineMetrics.TrackOldest(this, () => _oldestArrivalMs);
        _subscriptions.Add(context.SubscribeToGlobalTable<string, WorkOrder>(PipelineTopology.WorkOrdersTable, (key, _) => Release("work-order:" + key)));
        _subscriptions.Add(context.SubscribeToGlobalTable<string, Material>(PipelineTopology.MaterialsTable, (key, _) => Release("material:" + key)));
        _subscriptions.Add(context.Schedule(options.PendingCheckInterval, PunctuationType.WallClockTime, RecheckPending));
    }

    public void Process(Record<string, MesEvent> record)
    {
        var e = record.Value;
        var now = _context.WallClockTime;
        var reason = EventValidator.Validate(e, now, options.MaxClockSkew, out var detail);
        if (reason is not null)
        {
            DeadLetter(e, record.Key, record.Timestamp, Origin(), reason, detail!);
            return;
        }

        if (!_dedupe.PutIfAbsent(DedupeKey(e), now.ToUnixTimeMilliseconds()))
        {
            PipelineMetrics.Duplicates.Add(1, PipelineMetrics.Tags(e));
            PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "duplicate"));
            return;
        }

        var origin = Origin();
        if (_index.HasChain(e.OrderingKey))
        {
            // An earlier event of this key waits for master data: this one waits behind it, whatever it needs.
            AddPending(e, record, origin, waitingFor: null);
            return;
        }

        Complete(e, record.Key, record.Timestamp, origin, CommandMapper.Map(e, _masterData, now, _mapping), pendingRecord: record);
    }

    public void Close()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }

        PipelineMetrics.Pending.Add(-_index.Count);
        PipelineMetrics.Untrack(this);
    }

    /// <summary>Acts on a mapping outcome: command, dead letter, or (for a new event) waiting in the pending store.</summary>
    private void Complete(MesEvent e, string key, DateTimeOffset timestamp, RecordOrigin origin, MappingOutcome outcome, Record<string, MesEvent>? pendingRecord)
    {
        if (outcome.Command is { } command)
        {
            EmitCommand(e, command, timestamp, origin);
            return;
        }

        if (outcome.RejectReason is { } reason)
        {
            // A rejected event is forgotten by the dedupe store, so replaying it after the cause is fixed posts it.
            _dedupe.Delete(DedupeKey(e));
            DeadLetter(e, key, timestamp, origin, reason, outcome.Detail!);
            return;
        }

        if (pendingRecord is not null)
        {
            AddPending(e, pendingRecord, origin, outcome.MissingMasterData);
        }
    }

    private void EmitCommand(MesEvent e, ErpPostingCommand command, DateTimeOffset timestamp, RecordOrigin origin)
    {
        // One meserp.event.id header per source event and the consumed record's position, so lineage finds the
        // command and the copy of the event it came from without decoding values.
        var headers = new Headers();
        foreach (var id in command.SourceEventIds)
        {
            headers.Add(PipelineHeaders.EventId, Encoding.UTF8.GetBytes(id.ToString()));
        }

        headers.Add(PipelineHeaders.IdempotencyKey, Encoding.UTF8.GetBytes(command.IdempotencyKey));
        headers.Add(PipelineHeaders.EventTopic, Encoding.UTF8.GetBytes(origin.Topic));
        headers.Add(PipelineHeaders.EventPartition, Encoding.UTF8.GetBytes(origin.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(PipelineHeaders.EventOffset, Encoding.UTF8.GetBytes(origin.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(PipelineHeaders.AcceptedAt, Encoding.UTF8.GetBytes(timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        headers.Add(PipelineHeaders.OccurredAt, Encoding.UTF8.GetBytes(e.OccurredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        AddTrace(headers, command.Trace?.Traceparent, command.Trace?.Tracestate);
        _context.Forward(new Record<string, object>(command.OrderKey, command, timestamp, headers), PipelineTopology.CommandsSink);
        PipelineMetrics.Commands.Add(1, new KeyValuePair<string, object?>("command_type", command.CommandType.ToString()));
        PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "command"));
    }

    private void DeadLetter(MesEvent e, string key, DateTimeOffset timestamp, RecordOrigin origin, string reason, string detail)
    {
        var headers = new Headers
        {
            { PipelineHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
            { PipelineHeaders.ReasonDetail, Encoding.UTF8.GetBytes(detail) },
            { PipelineHeaders.SourceTopic, Encoding.UTF8.GetBytes(origin.Topic) },
            { PipelineHeaders.SourcePartition, Encoding.UTF8.GetBytes(origin.Partition.ToString(CultureInfo.InvariantCulture)) },
            { PipelineHeaders.SourceOffset, Encoding.UTF8.GetBytes(origin.Offset.ToString(CultureInfo.InvariantCulture)) },
            { PipelineHeaders.EventId, Encoding.UTF8.GetBytes(e.EventId.ToString()) },
            { PipelineHeaders.EventType, Encoding.UTF8.GetBytes(e.Kind.ToString()) },
            { PipelineHeaders.DeadLetteredAt, Encoding.UTF8.GetBytes(_context.WallClockTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) },
        };
        AddTrace(headers, TraceParent.ChildOf(e.Trace?.Traceparent, e.EventId, "dead-letter").Value, e.Trace?.Tracestate);
        _context.Forward(new Record<string, object>(key, e.Payload, timestamp, headers), PipelineTopology.DeadLetterSink);
        var reasonTags = PipelineMetrics.Tags(e);
        reasonTags.Add("reason", reason);
        PipelineMetrics.DeadLetters.Add(1, reasonTags);
        PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "dead_letter"));
    }

    private RecordOrigin Origin() => _context.RecordOrigin ?? new RecordOrigin("unknown", -1, -1);

    private static string DedupeKey(MesEvent e) => e.EventId.ToString("N");

    /// <summary>Writes the hop's trace context (a child span of the event's; see docs/lineage.md).</summary>
    private static void AddTrace(Headers headers, string? traceparent, string? tracestate)
    {
        if (traceparent is not null)
        {
            headers.Add(PipelineHeaders.TraceParent, Encoding.UTF8.GetBytes(traceparent));
        }

        if (tracestate is not null)
        {
            headers.Add(PipelineHeaders.TraceState, Encoding.UTF8.GetBytes(tracestate));
        }
    }
}
