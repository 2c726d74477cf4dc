namespace MesErpStreams.Streams;

/// <summary>A topology is malformed (unknown parent, type mismatch between nodes, duplicate name...).</summary>
public sealed class TopologyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TopologyException(string message)
        : base(message)
    {
    }
}
