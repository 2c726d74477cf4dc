namespace MesErpStreams.Avro.Compatibility;

/// <summary>Schema evolution rules (the Confluent Schema Registry levels).</summary>
public enum CompatibilityLevel
{
    /// <summary>No check.</summary>
    None,

    /// <summary>The new schema can read data written with the latest schema.</summary>
    Backward,

    /// <summary>The new schema can read data written with every earlier schema.</summary>
    BackwardTransitive,

    /// <summary>The latest schema can read data written with the new schema.</summary>
    Forward,

    /// <summary>Every earlier schema can read data written with the new schema.</summary>
    ForwardTransitive,

    /// <summary>Backward and forward against the latest schema.</summary>
    Full,

    /// <summary>Backward and forward against every earlier schema.</summary>
    FullTransitive,
}
