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
        var headers = OutputHeaders.Command(command, e, origin.Topic, origin.Partition, origin.Offset, timestamp.ToUnixTimeMilliseconds());
        _context.Forward(new Record<string, object>(command.OrderKey, command, timestamp, headers), PipelineTopology.CommandsSink);
        PipelineMetrics.CommandEmitted(e, command);
    }

    private void DeadLetter(MesEvent e, string key, DateTimeOffset timestamp, RecordOrigin origin, string reason, string detail)
    {
        var headers = OutputHeaders.DeadLetter(e, origin.Topic, origin.Partition, origin.Offset, reason, detail, _context.WallClockTime.ToUnixTimeMilliseconds());
        _context.Forward(new Record<string, object>(key, e.Payload, timestamp, headers), PipelineTopology.DeadLetterSink);
        PipelineMetrics.DeadLettered(e, reason);
    }

    private RecordOrigin Origin() => _context.RecordOrigin ?? new RecordOrigin("unknown", -1, -1);

    private static string DedupeKey(MesEvent e) => e.EventId.ToString("N");
}
