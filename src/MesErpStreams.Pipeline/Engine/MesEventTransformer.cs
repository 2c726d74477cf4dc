using System.Buffers.Binary;
using Confluent.Kafka;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Internal;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// The MES → ERP processor on Streamiz, one instance per task: decode → validate → dedupe(eventId) → enrich → map.
/// Every output (command, dead letter of an invalid, unpostable or undecodable event) is forwarded to a sink of the
/// same task, so it is produced in the task's transaction together with the consumed offset. Events whose master
/// data has not arrived wait in the persistent pending store; later events of the same ordering key wait behind
/// them. A wall-clock punctuation every <see cref="PipelineOptions.PendingReleaseInterval"/> releases chains whose
/// master data is now in the global tables; one every <see cref="PipelineOptions.PendingCheckInterval"/> rebuilds
/// the in-memory index from the store and dead-letters heads older than the pending timeout.
/// </summary>
internal sealed partial class MesEventTransformer : ITransformer<string, byte[], string, byte[]>
{
    /// <summary>Dedupe entries scanned per sweep punctuation and task (a few tens of milliseconds of RocksDB iteration).</summary>
    internal const int DedupeSweepBudget = 50_000;

    /// <summary>Above every dedupe key (32 lower-case hex digits) in UTF-8 byte order: the open end of a sweep range.</summary>
    private const string AfterAllKeys = "\uffff";

    private readonly EngineSettings _settings;
    private readonly PipelineOptions _options;
    private readonly EventDecoder _decoder;
    private readonly PendingIndex _index = new();
    private ProcessorContext<string, byte[]> _context = null!;
    private IKeyValueStore<string, byte[]> _dedupe = null!;
    private string? _sweepFrom;
    private IKeyValueStore<string, PendingEvent> _pending = null!;
    private GlobalTableMasterData _masterData = null!;
    private bool _processed;
    private bool _indexed;
    private long? _oldestArrivalMs;

    /// <summary>Streamiz's builder asks for a parameterless constructor; the instances it runs are made with <see cref="MesEventTransformer(EngineSettings)"/>.</summary>
    public MesEventTransformer()
        : this(new EngineSettings(new PipelineOptions(), null!, string.Empty, static () => false))
    {
    }

    public MesEventTransformer(EngineSettings settings)
    {
        _settings = settings;
        _options = settings.Options;
        _decoder = new EventDecoder(settings.Codecs);
    }

    public void Init(ProcessorContext<string, byte[]> context)
    {
        _settings.CloseGuard?.ThrowIfTripped(context.Id.ToString());
        _context = context;
        _dedupe = (IKeyValueStore<string, byte[]>)context.GetStateStore(StreamizTopology.DedupeStore);
        _pending = (IKeyValueStore<string, PendingEvent>)context.GetStateStore(StreamizTopology.PendingStore);
        _masterData = new GlobalTableMasterData(
            (IReadOnlyKeyValueStore<string, ValueAndTimestamp<byte[]>>)context.GetStateStore(StreamizTopology.WorkOrdersTable),
            (IReadOnlyKeyValueStore<string, ValueAndTimestamp<byte[]>>)context.GetStateStore(StreamizTopology.MaterialsTable),
            _settings.Codecs);
        var task = context.Id.ToString();
        PipelineMetrics.TrackOldest(this, task, () => _oldestArrivalMs);
        EngineMetrics.TrackStores(this, () => [new(_index.Count, new("store", StreamizTopology.PendingStore), new("task", task))]);
        context.Schedule(_options.PendingReleaseInterval, PunctuationType.PROCESSING_TIME, Punctuation("release", ReleaseArrived, afterRestore: true));
        context.Schedule(_options.PendingCheckInterval, PunctuationType.PROCESSING_TIME, Punctuation("pending-check", RecheckPending, afterRestore: true));
        context.Schedule(_options.DedupeSweepInterval, PunctuationType.PROCESSING_TIME, Punctuation("dedupe-sweep", SweepDedupe, afterRestore: false));
    }

    /// <summary>
    /// A wall-clock punctuation, timed in <see cref="EngineMetrics.PunctuationDuration"/>. With
    /// <paramref name="afterRestore"/> it does nothing until the task is restored (see <see cref="Restored"/>).
    /// </summary>
    private Action<long> Punctuation(string name, Action<long> callback, bool afterRestore)
    {
        var tag = new KeyValuePair<string, object?>("punctuation", name);
        return nowMs =>
        {
            if (afterRestore && !Restored)
            {
                return;
            }

            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            callback(nowMs);
            EngineMetrics.PunctuationDuration.Record(EngineMetrics.Since(start), tag);
        };
    }

    public Record<string, byte[]>? Process(Record<string, byte[]> record)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var tpo = record.TopicPartitionOffset;
        var origin = new Origin(tpo.Topic, tpo.Partition.Value, tpo.Offset.Value);
        EngineMetrics.Consumed.Add(1, new KeyValuePair<string, object?>("topic", origin.Topic));
        ProcessRecord(record, origin);
        EngineMetrics.ProcessDuration.Record(EngineMetrics.Since(start));
        _settings.Lag?.Consumed(origin.Topic, origin.Partition, origin.Offset, record.Timestamp.UtcDateTime);
        return null;
    }

    private void ProcessRecord(Record<string, byte[]> record, Origin origin)
    {
        if (!_processed)
        {
            // Streamiz initialises processors before it restores their stores; a record is only processed once the
            // task is restored, so this is the first moment the pending store is complete.
            _processed = true;
            RebuildIndex();
            if (_index.Count > 0 && MayLog(LogLevel.Information, out var suppressed))
            {
                _settings.Log!.LogInformation("task {Task}: restored with {Count} event(s) waiting for master data{Suppressed}", Task, _index.Count, suppressed);
            }
        }

        MesEvent e;
        try
        {
            e = WithTransientRetry(() => _decoder.Decode(origin.Topic, record.Value, record.Headers));
        }
        catch (Exception ex) when (!IsTransient(ex))
        {
            Undecodable(record, origin, ex);
            return;
        }

        var timestampMs = record.Timestamp.UnixTimestampMs;
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_context.WallClockTime);
        var reason = EventValidator.Validate(e, now, _options.MaxClockSkew, out var detail);
        if (reason is not null)
        {
            DeadLetter(e, record.Key, record.Value, timestampMs, origin, reason, detail!);
            return;
        }

        var dedupeKey = DedupeKey(e);
        if (SeenBefore(dedupeKey, now.ToUnixTimeMilliseconds()))
        {
            PipelineMetrics.Duplicates.Add(1, PipelineMetrics.Tags(e));
            PipelineMetrics.Events.Add(1, PipelineMetrics.Tags(e, "duplicate"));
            return;
        }

        _dedupe.Put(dedupeKey, FirstSeen(now.ToUnixTimeMilliseconds()));
        if (_index.HasChain(e.OrderingKey))
        {
            // An earlier event of this key waits for master data: this one waits behind it, whatever it needs.
            AddPending(e, record.Value, timestampMs, origin, waitingFor: null);
            return;
        }

        var outcome = CommandMapper.Map(e, _masterData, now, _options.Mapping);
        if (outcome.MissingMasterData is { } missing)
        {
            AddPending(e, record.Value, timestampMs, origin, missing);
            return;
        }

        Complete(e, record.Key, record.Value, timestampMs, origin, outcome);
    }

    public void Close()
    {
        PipelineMetrics.Pending.Add(-_index.Count);
        PipelineMetrics.Untrack(this);
        EngineMetrics.UntrackStores(this);
        if (_settings.Lag is { } lag)
        {
            // The task (one partition of each event topic) leaves this instance: stop reporting its lag here.
            foreach (var topic in StreamizTopology.EventTopics)
            {
                lag.Remove(topic, _context.Id.Partition);
            }
        }
    }

    /// <summary>Acts on a mapping outcome that is not "missing master data": command or dead letter.</summary>
    private void Complete(MesEvent e, string key, byte[] value, long timestampMs, Origin origin, MappingOutcome outcome)
    {
        if (outcome.Command is { } command)
        {
            EmitCommand(e, command, timestampMs, origin);
            return;
        }

        // A rejected event is forgotten by the dedupe store, so replaying it after the cause is fixed posts it.
        Forget(DedupeKey(e));
        DeadLetter(e, key, value, timestampMs, origin, outcome.RejectReason!, outcome.Detail!);
    }

    private void EmitCommand(MesEvent e, ErpPostingCommand command, long timestampMs, Origin origin)
    {
        var headers = OutputHeaders.Command(command, e, origin.Topic, origin.Partition, origin.Offset, timestampMs);
        var context = new SerializationContext(MessageComponentType.Value, PipelineTopology.Topics.PostingCommands, headers);
        var bytes = WithTransientRetry(() => RegistryCall.Result(_settings.Codecs.Command.SerializeAsync(command, context)));
        Forward(command.OrderKey, bytes, headers, timestampMs, StreamizTopology.CommandsSink);
        PipelineMetrics.CommandEmitted(e, command);
    }

    /// <summary>The dead letter carries the event's record value as consumed: a replay puts those bytes back on its topic.</summary>
    private void DeadLetter(MesEvent e, string key, byte[] value, long timestampMs, Origin origin, string reason, string detail)
    {
        var headers = OutputHeaders.DeadLetter(e, origin.Topic, origin.Partition, origin.Offset, reason, detail, _context.WallClockTime);
        Forward(key, value, headers, timestampMs, StreamizTopology.DeadLetterSink);
        PipelineMetrics.DeadLettered(e, reason);
        LogDeadLetter(e.Kind.ToString(), e.EventId, key, reason, detail);
    }

    /// <summary>A record that cannot be decoded: dead-lettered as it is, with the error headers of the former runtime.</summary>
    private void Undecodable(Record<string, byte[]> record, Origin origin, Exception ex)
    {
        var headers = OutputHeaders.Undecodable(record.Headers, origin.Topic, origin.Partition, origin.Offset, StreamizTopology.ProcessorNode, _settings.ApplicationId, ex);
        Forward(record.Key, record.Value, headers, record.Timestamp.UnixTimestampMs, StreamizTopology.DeadLetterSink);
        PipelineMetrics.Undecodable.Add(1, new KeyValuePair<string, object?>("topic", origin.Topic));
        EngineMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("stage", DeadLetterHeaders.DeserializeStage));
        LogDeadLetter(null, null, record.Key, "undecodable", $"{origin.Topic}[{origin.Partition}]@{origin.Offset}: {ex.Message}");
    }

    /// <summary>The producer's record limit (librdkafka's message.max.bytes default, below the brokers' 1 MiB).</summary>
    private const int MaxRecordBytes = 1_000_000;

    /// <summary>Room kept for a dead letter's headers (the exception message alone may take 4 KiB).</summary>
    private const int HeaderAllowanceBytes = 16_384;

    private void Forward(string key, byte[]? value, Headers headers, long timestampMs, string sink)
    {
        // A dead letter too large for the topic would fail the transaction on every retry and stop the partition for
        // good (the chaos suite's 1.2 MB poison record). Above the limit the value is left out and its size named; the
        // original stays on its source topic at the coordinates in the headers.
        if (sink == StreamizTopology.DeadLetterSink && value is not null
            && value.Length + (key?.Length ?? 0) * 3 + HeaderAllowanceBytes > MaxRecordBytes)
        {
            OutputHeaders.ValueOmitted(headers, value.Length);
            value = null;
        }

        _context.SetHeaders(headers);
        _context.ChangeTimestamp(timestampMs);
        _context.Forward(key!, value!, sink); // a null value: the omitted one above; a null key: as consumed
        EngineMetrics.Produced.Add(1, new KeyValuePair<string, object?>("topic", sink == StreamizTopology.CommandsSink ? PipelineTopology.Topics.PostingCommands : PipelineTopology.Topics.EventsDeadLetter));
    }

    private bool SeenBefore(string dedupeKey, long nowMs) =>
        _dedupe.Get(dedupeKey) is { } seen && !Expired(seen, nowMs - (long)_options.DedupeRetention.TotalMilliseconds);

    /// <summary>
    /// Whether a dedupe value is older than <paramref name="cutoffMs"/>. Values are 8 bytes of first-seen time; the
    /// former runtime's store wrote 16 (its write time, then the first-seen time), whose first 8 serve the same purpose,
    /// so its changelog restores into this store as it is. Anything else is not ours and counts as expired.
    /// </summary>
    private static bool Expired(byte[] value, long cutoffMs) =>
        value is not { Length: 8 or 16 } || BinaryPrimitives.ReadInt64BigEndian(value) <= cutoffMs;

    private void Forget(string dedupeKey) => _dedupe.Delete(dedupeKey);

    private static byte[] FirstSeen(long nowMs)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, nowMs);
        return bytes;
    }

    /// <summary>
    /// Deletes dedupe entries older than the retention, <see cref="DedupeSweepBudget"/> entries per run, resuming
    /// where the last run stopped: an entry outlives its retention by at most one pass over the store. Each delete
    /// is a tombstone on the compacted changelog, in the task's transaction.
    /// </summary>
    private void SweepDedupe(long nowMs)
    {
        var cutoff = nowMs - (long)_options.DedupeRetention.TotalMilliseconds;
        var expired = new List<string>();
        var scanned = 0;
        string? last = null;
        using (var entries = _dedupe.Range(_sweepFrom ?? string.Empty, AfterAllKeys))
        {
            while (scanned < DedupeSweepBudget && entries.MoveNext())
            {
                var (key, value) = (entries.Current!.Value.Key, entries.Current.Value.Value);
                scanned++;
                last = key;
                if (Expired(value, cutoff))
                {
                    expired.Add(key);
                }
            }
        }

        foreach (var key in expired)
        {
            _dedupe.Delete(key);
        }

        // A full budget: resume after the last key next time; fewer: the pass is complete, start over.
        _sweepFrom = scanned == DedupeSweepBudget ? last + "\0" : null;
    }

    private bool IsTransient(Exception ex) => _settings.Codecs.IsTransient?.Invoke(ex) == true;

    /// <summary>
    /// A transient failure (the schema registry unreachable) is retried in place with backoff, for at most
    /// <see cref="PipelineOptions.TransientRetryLimit"/>; then it fails the task, whose transaction aborts: the record
    /// is processed again after the restart, never dead-lettered for an outage.
    /// </summary>
    private T WithTransientRetry<T>(Func<T> action)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var deadline = DateTime.UtcNow + _options.TransientRetryLimit;
        while (true)
        {
            try
            {
                return action();
            }
            catch (Exception ex) when (IsTransient(ex) && DateTime.UtcNow + delay < deadline)
            {
                // Streamiz's processor contract is synchronous: waiting here holds this stream thread only.
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private static string DedupeKey(MesEvent e) => e.EventId.ToString("N");

    /// <summary>Where a record was consumed.</summary>
    private readonly record struct Origin(string Topic, int Partition, long Offset);
}
