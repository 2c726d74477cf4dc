namespace MesErpStreams.Streams;

/// <summary>A record failed at a stage whose handler is <see cref="ErrorHandlerMode.Fail"/>; the instance stops.</summary>
public sealed class StreamsProcessingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamsProcessingException(ErrorStage stage, string node, RecordOrigin? origin, Exception inner)
        : base($"{DeadLetterHeaders.StageValue(stage)} failed at node '{node}'{(origin is { } o ? $" for {o.Topic}[{o.Partition}]@{o.Offset}" : string.Empty)}: {inner.Message}", inner)
    {
        Stage = stage;
        Node = node;
        Origin = origin;
    }

    /// <summary>The failing stage.</summary>
    public ErrorStage Stage { get; }

    /// <summary>The failing topology node.</summary>
    public string Node { get; }

    /// <summary>The input record, when the failure concerned one.</summary>
    public RecordOrigin? Origin { get; }
}
