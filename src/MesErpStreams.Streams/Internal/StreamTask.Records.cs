using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>Per-record unit of work: undo journal, pending outputs, dead letters and punctuation.</summary>
internal sealed partial class StreamTask
{
    private void BeginRecord()
    {
        Outputs.Clear();
        foreach (var store in _stores)
        {
            store.BeginRecord();
        }
    }

    private void EndRecord()
    {
        Outputs.Clear();
        foreach (var store in _stores)
        {
            store.EndRecord();
        }
    }

    private void RollbackRecord()
    {
        Outputs.Clear();
        foreach (var store in _stores)
        {
            store.RollbackRecord();
        }
    }

    /// <summary>Awaits asynchronous serializations and enforces the size limit, before anything is sent.</summary>
    private async ValueTask CompleteOutputsAsync()
    {
        var max = _services.DeadLetter.MaxRecordBytes;
        for (var i = 0; i < Outputs.Count; i++)
        {
            var o = Outputs[i];
            if (o.KeyTask is not null || o.ValueTask is not null)
            {
                try
                {
                    var key = o.KeyTask is null ? o.Key : await o.KeyTask;
                    var value = o.ValueTask is null ? o.Value : await o.ValueTask;
                    Outputs[i] = o with { Key = key, Value = value, KeyTask = null, ValueTask = null };
                }
                catch (Exception ex)
                {
                    throw StageFailure.Wrap(ErrorStage.Serialize, o.Sink, ex);
                }

                o = Outputs[i];
            }

            long size = (o.Key?.Length ?? 0) + (o.Value?.Length ?? 0);
            if (o.Headers is not null)
            {
                foreach (var h in o.Headers)
                {
                    size += h.Key.Length + (h.GetValueBytes()?.Length ?? 0);
                }
            }

            if (size > max)
            {
                throw new StageFailure(ErrorStage.Produce, o.Sink, new RecordTooLargeException(o.Topic, size, max));
            }
        }
    }

    private void SendOutputs()
    {
        var collector = _services.Collector;
        for (var i = 0; i < Outputs.Count; i++)
        {
            ref var o = ref Outputs[i];
            collector.Send(o.Topic, o.Key, o.Value, o.Headers, o.TimestampMs);
            _services.Metrics.Produced(o.Topic);
        }
    }

    private void HandleFailure(ConsumeResult<byte[], byte[]> raw, StageFailure failure)
    {
        var options = _services.DeadLetter;
        var mode = failure.Stage switch
        {
            ErrorStage.Deserialize => options.DeserializationErrors,
            ErrorStage.Process => options.ProcessingErrors,
            _ => options.ProductionErrors,
        };
        var inner = failure.InnerException!;
        if (options.TransientErrors?.Invoke(inner) == true)
        {
            throw new TransientRecordException(failure.Stage, failure.Node, CurrentOrigin, inner);
        }

        if (mode == ErrorHandlerMode.Fail)
        {
            throw new StreamsProcessingException(failure.Stage, failure.Node, CurrentOrigin, inner);
        }

        var headers = new Headers();
        if (raw.Message.Headers is { } original)
        {
            foreach (var h in original)
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        AddHeader(headers, DeadLetterHeaders.Topic, raw.Topic);
        AddHeader(headers, DeadLetterHeaders.Partition, raw.Partition.Value.ToString(CultureInfo.InvariantCulture));
        AddHeader(headers, DeadLetterHeaders.Offset, raw.Offset.Value.ToString(CultureInfo.InvariantCulture));
        AddHeader(headers, DeadLetterHeaders.Stage, DeadLetterHeaders.StageValue(failure.Stage));
        AddHeader(headers, DeadLetterHeaders.Node, failure.Node);
        AddHeader(headers, DeadLetterHeaders.ApplicationId, ApplicationId);
        AddHeader(headers, DeadLetterHeaders.ExceptionClass, inner.GetType().FullName ?? inner.GetType().Name);
        AddHeader(headers, DeadLetterHeaders.ExceptionMessage, Truncate(inner.Message, 4096));
        if (options.IncludeStackTrace && inner.StackTrace is { } trace)
        {
            AddHeader(headers, DeadLetterHeaders.ExceptionStackTrace, Truncate(trace, 8192));
        }

        // A record too large for the dead-letter topic would fail its transaction again on every retry and stop the
        // partition for good (found by the chaos suite with a 1.2 MB poison record). Above the record limit the value
        // is left out and its size named; the original stays on its source topic at the coordinates above.
        var value = raw.Message.Value;
        if (value is not null && value.Length + (raw.Message.Key?.Length ?? 0) + HeaderAllowanceBytes > options.MaxRecordBytes)
        {
            AddHeader(headers, DeadLetterHeaders.ValueOmittedBytes, value.Length.ToString(CultureInfo.InvariantCulture));
            value = null;
        }

        var topic = options.Topic!;
        _services.Collector.Send(topic, raw.Message.Key, value, headers, raw.Message.Timestamp.UnixTimestampMs);
        _services.Metrics.Produced(topic);
        _services.Metrics.DeadLettered(failure.Stage);
        _services.Logger.LogWarning(
            "Record {Topic}[{Partition}]@{Offset} failed at stage {Stage} in node {Node} ({ExceptionClass}: {Message}); sent to dead-letter topic {DeadLetterTopic}",
            raw.Topic, raw.Partition.Value, raw.Offset.Value, DeadLetterHeaders.StageValue(failure.Stage), failure.Node, inner.GetType().Name, inner.Message, topic);
    }

    /// <summary>Room kept for a dead letter's headers: exception message (≤ 4 KiB), stack trace (≤ 8 KiB), the rest.</summary>
    private const int HeaderAllowanceBytes = 16_384;

    private static void AddHeader(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private async ValueTask PunctuateAsync(List<Punctuation> list, long nowMs)
    {
        if (nowMs == long.MinValue)
        {
            return;
        }

        // Callbacks may cancel or add schedules: iterate over a snapshot.
        foreach (var p in list.ToArray())
        {
            if (p.Cancelled)
            {
                continue;
            }

            if (p.NextMs == long.MinValue)
            {
                p.NextMs = nowMs + p.IntervalMs;
                continue;
            }

            if (nowMs < p.NextMs)
            {
                continue;
            }

            p.NextMs += p.IntervalMs * (((nowMs - p.NextMs) / p.IntervalMs) + 1);
            var start = Stopwatch.GetTimestamp();
            var at = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
            await RunCallbackAsync(p.Node, () => p.Callback(at));
            _services.Metrics.PunctuationTime(start);
        }
    }
}
