namespace MesErpStreams.Streams;

/// <summary>
/// A record failed for a reason <see cref="DeadLetterOptions.TransientErrors"/> recognises as passing: the instance
/// aborts the transaction, rewinds and retries the record after a backoff instead of dead-lettering it.
/// </summary>
public sealed class TransientRecordException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransientRecordException(ErrorStage stage, string node, RecordOrigin? origin, Exception inner)
        : base($"{DeadLetterHeaders.StageValue(stage)} at node '{node}'{(origin is { } o ? $" for {o.Topic}[{o.Partition}]@{o.Offset}" : string.Empty)} failed for a passing reason: {inner.Message}", inner)
    {
        Stage = stage;
        Origin = origin;
    }

    /// <summary>The failing stage.</summary>
    public ErrorStage Stage { get; }

    /// <summary>The input record, when the failure concerned one.</summary>
    public RecordOrigin? Origin { get; }
}
