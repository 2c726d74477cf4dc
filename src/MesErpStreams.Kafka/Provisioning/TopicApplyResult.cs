namespace MesErpStreams.Kafka.Provisioning;

/// <summary>What provisioning did with one topic.</summary>
public enum TopicApplyAction
{
    /// <summary>The topic did not exist and was created.</summary>
    Created,

    /// <summary>The topic exists with the catalog's settings.</summary>
    UpToDate,

    /// <summary>The topic exists with settings that differ from the catalog; nothing was changed.</summary>
    Drifted,

    /// <summary>Creating the topic failed.</summary>
    Failed,
}

/// <summary>Outcome of provisioning one topic.</summary>
/// <param name="Topic">Topic name.</param>
/// <param name="Action">What happened.</param>
/// <param name="Differences">For <see cref="TopicApplyAction.Drifted"/>: each setting that differs, as "setting: catalog X, cluster Y";
/// for <see cref="TopicApplyAction.Failed"/>: the error.</param>
public sealed record TopicApplyResult(string Topic, TopicApplyAction Action, IReadOnlyList<string> Differences)
{
    /// <summary>A one-line description for reports.</summary>
    public override string ToString() =>
        Differences.Count == 0 ? $"{Action,-9} {Topic}" : $"{Action,-9} {Topic}: {string.Join("; ", Differences)}";
}
