using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry;

/// <summary>
/// The Confluent Schema Registry REST API as clients use it. Failures raise <see cref="SchemaRegistryException"/>
/// with the registry's error code.
/// </summary>
public interface ISchemaRegistryClient
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (or returns the id it already has).</summary>
    /// <returns>The global schema id.</returns>
    Task<int> RegisterSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>Looks up <paramref name="schema"/> under <paramref name="subject"/> (40401/40403 when absent).</summary>
    Task<RegisteredSchema> LookupSchemaAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>The schema text with global id <paramref name="id"/> (cached: ids are immutable).</summary>
    Task<string> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The latest version under <paramref name="subject"/>.</summary>
    Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Version <paramref name="version"/> under <paramref name="subject"/>.</summary>
    Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default);

    /// <summary>All subjects.</summary>
    Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions under <paramref name="subject"/>, ascending.</summary>
    Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tests whether <paramref name="schema"/> could be registered under <paramref name="subject"/>: against
    /// <paramref name="version"/> when given, else against the versions the subject's level requires.
    /// </summary>
    Task<CompatibilityCheckResult> TestCompatibilityAsync(string subject, string schema, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The compatibility level of <paramref name="subject"/>, or the global level when <paramref name="subject"/> is
    /// null. For a subject without its own level: the global level, or null when <paramref name="defaultToGlobal"/> is false.
    /// </summary>
    Task<CompatibilityLevel?> GetCompatibilityAsync(string? subject, bool defaultToGlobal = true, CancellationToken cancellationToken = default);

    /// <summary>Sets the compatibility level of <paramref name="subject"/>, or the global level when null.</summary>
    Task SetCompatibilityAsync(string? subject, CompatibilityLevel level, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes <paramref name="subject"/>; returns the deleted versions.</summary>
    Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, CancellationToken cancellationToken = default);
}
