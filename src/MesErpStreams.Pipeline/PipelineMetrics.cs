using System.Diagnostics;
using System.Diagnostics.Metrics;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Pipeline;

/// <summary>
/// Instruments of the processor (Meter <c>MesErpStreams.Pipeline</c>). Exported to Prometheus as
/// <c>meserpstreams_pipeline_meserp_pipeline_events{type,plant,outcome}</c>, <c>meserpstreams_pipeline_meserp_pipeline_duplicates{type,plant}</c>,
/// <c>meserpstreams_pipeline_meserp_pipeline_dead_letters{type,plant,reason}</c>, <c>meserpstreams_pipeline_meserp_pipeline_commands{command_type}</c>, <c>meserpstreams_pipeline_meserp_pipeline_undecodable{topic}</c>,
/// <c>meserpstreams_pipeline_meserp_pipeline_pending_events</c>, <c>meserpstreams_pipeline_meserp_pipeline_pending_oldest_age</c> and
/// <c>meserpstreams_pipeline_meserp_pipeline_pending_wait</c>.
/// </summary>
public static class PipelineMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MesErpStreams.Pipeline";

    private static readonly Meter Meter = new(MeterName);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, (string Task, Func<long?> OldestArrivalMs)> OldestSources = new();

    internal static readonly Counter<long> Events = Meter.CreateCounter<long>("meserp.pipeline.events", "{event}", "MES events processed, by type and outcome (command, duplicate, dead_letter, pending)");
    internal static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("meserp.pipeline.duplicates", "{event}", "Duplicate events dropped by event id");
    internal static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("meserp.pipeline.dead_letters", "{event}", "Events dead-lettered, by reason");
    internal static readonly Counter<long> Commands = Meter.CreateCounter<long>("meserp.pipeline.commands", "{command}", "ERP posting commands emitted, by command type");
    internal static readonly Counter<long> Undecodable = Meter.CreateCounter<long>("meserp.pipeline.undecodable", "{record}", "Event records that could not be decoded, dead-lettered as they are, by topic");
    internal static readonly UpDownCounter<long> Pending = Meter.CreateUpDownCounter<long>("meserp.pipeline.pending_events", "{event}", "Events waiting for master data (or behind one that waits)");
    internal static readonly Counter<long> EngineRestarts = Meter.CreateCounter<long>("meserp.pipeline.engine_restarts", "{restart}", "Streamiz instances started again after a fatal error (local state discarded)");
    internal static readonly Histogram<double> PendingWait = Meter.CreateHistogram<double>("meserp.pipeline.pending_wait", "s", "How long released or timed-out events waited");

    static PipelineMetrics()
    {
        Meter.CreateObservableGauge("meserp.pipeline.pending_oldest_age", ObserveOldest, "s", "Age of the oldest event waiting for master data, per task (0 when none waits)");
    }

    /// <summary>The labels every per-event series carries: event type and plant (a <see cref="TagList"/>: no allocation).</summary>
    internal static TagList Tags(MesEvent e) => new() { { "type", e.Kind.ToString() }, { "plant", e.Plant } };

    /// <summary><see cref="Tags(MesEvent)"/> plus the outcome.</summary>
    internal static TagList Tags(MesEvent e, string outcome)
    {
        var tags = Tags(e);
        tags.Add("outcome", outcome);
        return tags;
    }

    /// <summary>Counts a command emitted for <paramref name="e"/>.</summary>
    internal static void CommandEmitted(MesEvent e, Contracts.Erp.ErpPostingCommand command)
    {
        Commands.Add(1, new KeyValuePair<string, object?>("command_type", command.CommandType.ToString()));
        Events.Add(1, Tags(e, "command"));
    }

    /// <summary>Counts <paramref name="e"/> dead-lettered with <paramref name="reason"/>.</summary>
    internal static void DeadLettered(MesEvent e, string reason)
    {
        var reasonTags = Tags(e);
        reasonTags.Add("reason", reason);
        DeadLetters.Add(1, reasonTags);
        Events.Add(1, Tags(e, "dead_letter"));
    }

    internal static void TrackOldest(object owner, string task, Func<long?> oldestArrivalMs) => OldestSources[owner] = (task, oldestArrivalMs);

    internal static void Untrack(object owner) => OldestSources.TryRemove(owner, out _);

    /// <summary>One series per task this process runs (a task that moves away takes its series along); none when it runs no task.</summary>
    private static IEnumerable<Measurement<double>> ObserveOldest()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (task, oldest) in OldestSources.Values)
        {
            var age = oldest() is { } ms ? Math.Max(0, (now - ms) / 1000.0) : 0;
            yield return new Measurement<double>(age, new KeyValuePair<string, object?>("task", task));
        }
    }
}
