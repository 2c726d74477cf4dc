namespace MesErpStreams.SchemaRegistry.Serdes;

/// <summary>Settings of <see cref="AvroSerializer{T}"/> and <see cref="GenericAvroSerializer"/>.</summary>
public sealed class AvroSerializerConfig
{
    /// <summary>
    /// Register the schema under its subject when it is not there yet (<c>auto.register.schemas</c>). Default false:
    /// in production schemas are registered by governance (<c>meserp schemas register</c>), and a producer whose
    /// schema is not registered fails instead of changing the contract.
    /// </summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>
    /// Serialize with the latest schema registered under the subject instead of the type's own schema
    /// (<c>use.latest.version</c>); the type must bind to it. Default false.
    /// </summary>
    public bool UseLatestVersion { get; set; }

    /// <summary>How the subject is derived from topic and record. Default <see cref="SubjectNameStrategy.Topic"/>.</summary>
    public SubjectNameStrategy SubjectNameStrategy { get; set; } = SubjectNameStrategy.Topic;
}
