using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Pipeline.Internal;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// What a task says in the log: an order that starts waiting for master data, a chain released, a head that has
/// waited long, a dead letter. Within <see cref="LogBudget"/> per task, so a flood costs a count, not the log.
/// </summary>
internal sealed partial class MesEventTransformer
{
    /// <summary>A head still waiting after this long is named in the log by the slow punctuation.</summary>
    internal static readonly TimeSpan LongWait = TimeSpan.FromMinutes(1);

    private readonly LogBudget _logBudget = new();

    private string Task => _context.Id.ToString();

    private bool MayLog(LogLevel level, out string suppressed)
    {
        suppressed = string.Empty;
        if (_settings.Log is not { } log || !log.IsEnabled(level) || !_logBudget.TryTake(_context.WallClockTime, out var dropped))
        {
            return false;
        }

        if (dropped > 0)
        {
            suppressed = $" ({dropped} similar lines of this task suppressed before)";
        }

        return true;
    }

    private void LogWaiting(MesEvent e, string orderingKey, string masterKey)
    {
        if (MayLog(LogLevel.Information, out var suppressed))
        {
            _settings.Log!.LogInformation("task {Task}: {Type} {EventId} of {OrderingKey} waits for master data {MasterKey}; later events of its key wait behind it{Suppressed}",
                Task, e.Kind, e.EventId, orderingKey, masterKey, suppressed);
        }
    }

    private void LogReleased(string orderingKey, int released, long waitedMs)
    {
        if (released > 0 && MayLog(LogLevel.Information, out var suppressed))
        {
            _settings.Log!.LogInformation("task {Task}: {Count} waiting event(s) of {OrderingKey} released after {Seconds:0.0} s{Suppressed}",
                Task, released, orderingKey, waitedMs / 1000.0, suppressed);
        }
    }

    private void LogStillWaiting(PendingEvent head, string missing, long nowMs)
    {
        if (!MayLog(LogLevel.Warning, out var suppressed))
        {
            return;
        }

        var table = _masterData.Contains(missing)
            ? $"the table holds it but it cannot be used ({_masterData.LastDecodeFailure ?? "no decode failure recorded"})"
            : "the table does not hold it";
        _settings.Log!.LogWarning("task {Task}: {OrderingKey} has waited {Seconds:0} s for master data {MasterKey} ({Table}); {Count} event(s) of its key wait, the pending timeout is {Timeout}{Suppressed}",
            Task, head.Key, (nowMs - head.ArrivedAtMs) / 1000.0, missing, table, _index.ChainLength(head.Key), _options.PendingTimeout, suppressed);
    }

    private void LogDeadLetter(string? eventType, Guid? eventId, string? key, string reason, string detail)
    {
        if (MayLog(LogLevel.Warning, out var suppressed))
        {
            _settings.Log!.LogWarning("task {Task}: {Type} {EventId} (key {Key}) dead-lettered to {Topic}: {Reason}: {Detail}{Suppressed}",
                Task, eventType ?? "record", eventId?.ToString() ?? "-", key ?? "-", PipelineTopology.Topics.EventsDeadLetter, reason, detail, suppressed);
        }
    }
}
