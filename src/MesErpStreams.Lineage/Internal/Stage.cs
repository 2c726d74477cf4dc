namespace MesErpStreams.Lineage.Internal;

/// <summary>Where on the path a topic lies (also the tie-break order of hops with the same time).</summary>
internal enum Stage
{
    /// <summary>An event topic (mes.events.*).</summary>
    Event = 0,

    /// <summary>Held in the processor's pending store (its changelog), waiting for master data.</summary>
    Waiting = 1,

    /// <summary>The processor's dead letters (mes.events.dlq).</summary>
    EventDeadLetter = 2,

    /// <summary>erp.posting-commands.</summary>
    Command = 3,

    /// <summary>A retry tier (erp.posting-commands.retry-N).</summary>
    Retry = 4,

    /// <summary>The sink's dead letters (erp.posting-commands.dlq).</summary>
    CommandDeadLetter = 5,

    /// <summary>erp.posting-results.</summary>
    Result = 6,
}

/// <summary>A topic to read and its place on the path (<paramref name="Tier"/>: the retry tier, else 0).</summary>
internal sealed record LineageTopic(string Name, Stage Stage, int Tier = 0);
