using System.Collections.Concurrent;
using MesErpStreams.Avro;
using MesErpStreams.Contracts.Internal;

namespace MesErpStreams.Contracts;

/// <summary>
/// The canonical schemas of <c>schemas/</c>, embedded in this assembly: lookup by file path, the topic mapping of
/// <c>schemas/subjects.json</c>, and the shared-type consistency check.
/// </summary>
public static class ContractSchemas
{
    private static readonly ConcurrentDictionary<string, Schema> Parsed = new(StringComparer.Ordinal);
    private static readonly Lazy<IReadOnlyList<ContractSchemaInfo>> Topics = new(() => SchemaResources.ReadSubjects().Schemas);
    private static readonly Lazy<IReadOnlyList<string>> Shared = new(() => SchemaResources.ReadSubjects().SharedTypes);

    /// <summary>Every embedded schema file, as a path relative to <c>schemas/</c> (e.g. <c>mes/ScrapReport.avsc</c>).</summary>
    public static IReadOnlyList<string> Files => SchemaResources.Files;

    /// <summary>The schemas that are topic values, with their topics (from <c>schemas/subjects.json</c>).</summary>
    public static IReadOnlyList<ContractSchemaInfo> TopicSchemas => Topics.Value;

    /// <summary>Files holding shared types that are inlined in other schemas, not registered on their own.</summary>
    public static IReadOnlyList<string> SharedTypeFiles => Shared.Value;

    /// <summary>The JSON text of an embedded schema file.</summary>
    /// <param name="file">Path relative to <c>schemas/</c>, with forward slashes.</param>
    /// <exception cref="KeyNotFoundException">No such embedded file.</exception>
    public static string GetJson(string file) => SchemaResources.ReadText(file);

    /// <summary>The parsed schema of an embedded schema file (parsed once, then cached).</summary>
    /// <param name="file">Path relative to <c>schemas/</c>, with forward slashes.</param>
    /// <exception cref="KeyNotFoundException">No such embedded file.</exception>
    /// <exception cref="AvroSchemaParseException">The file is not a valid schema.</exception>
    public static Schema Get(string file) => Parsed.GetOrAdd(file, static f => Schema.Parse(SchemaResources.ReadText(f)));

    /// <summary>
    /// Checks that every named type defined in more than one of <paramref name="schemas"/> has the same definition
    /// (Parsing Canonical Form) everywhere, so inlined shared types cannot drift apart.
    /// </summary>
    /// <param name="schemas">Schemas by a label used in messages (usually the file path).</param>
    /// <returns>One message per conflicting definition; empty when consistent.</returns>
    public static IReadOnlyList<string> FindSharedTypeConflicts(IEnumerable<KeyValuePair<string, Schema>> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return SharedTypeChecker.FindConflicts(schemas);
    }
}
