namespace MesErpStreams.Lineage.Internal;

/// <summary>Where on the path a topic lies (also the tie-break order of hops with the same time).</summary>
internal enum Stage
{
    /// <summary>An event topic (mes.events.*).</summary>
    Event = 0,

    /// <summary>The processor's dead letters (mes.events.dlq).</summary>
    EventDeadLetter = 1,

    /// <summary>erp.posting-commands.</summary>
    Command = 2,

    /// <summary>A retry tier (erp.posting-commands.retry-N).</summary>
    Retry = 3,

    /// <summary>The sink's dead letters (erp.posting-commands.dlq).</summary>
    CommandDeadLetter = 4,

    /// <summary>erp.posting-results.</summary>
    Result = 5,
}

/// <summary>A topic to read and its place on the path (<paramref name="Tier"/>: the retry tier, else 0).</summary>
internal sealed record LineageTopic(string Name, Stage Stage, int Tier = 0);
