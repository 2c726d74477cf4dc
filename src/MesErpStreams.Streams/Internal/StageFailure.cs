namespace MesErpStreams.Streams.Internal;

/// <summary>Carries the failing stage and node of a record failure up to the task.</summary>
internal sealed class StageFailure(ErrorStage stage, string node, Exception inner)
    : Exception($"{DeadLetterHeaders.StageValue(stage)} failed at '{node}': {inner.Message}", inner)
{
    public ErrorStage Stage { get; } = stage;

    public string Node { get; } = node;

    public static StageFailure Wrap(ErrorStage stage, string node, Exception ex) => ex as StageFailure ?? new StageFailure(stage, node, ex);
}
