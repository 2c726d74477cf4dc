namespace MesErpStreams.Avro.Compatibility;

/// <summary>The verdict of a compatibility check, with one message per incompatibility (naming the path and what broke).</summary>
public sealed class CompatibilityResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="messages">The incompatibilities; empty means compatible.</param>
    public CompatibilityResult(IReadOnlyList<string> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = messages;
    }

    /// <summary>A compatible result.</summary>
    public static CompatibilityResult Compatible { get; } = new([]);

    /// <summary>True when there are no incompatibilities.</summary>
    public bool IsCompatible => Messages.Count == 0;

    /// <summary>The incompatibilities, e.g. "reader field 'quantity' at /fields/3 has no default and is missing from the writer".</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <inheritdoc />
    public override string ToString() => IsCompatible ? "compatible" : string.Join("; ", Messages);
}
