using System.Text.Json;

namespace MesErpStreams.Contracts.Internal;

/// <summary>Reads the schema files embedded from <c>schemas/</c> (logical names <c>schemas/&lt;path&gt;</c>).</summary>
internal static class SchemaResources
{
    private const string Prefix = "schemas/";

    public static IReadOnlyList<string> Files { get; } = typeof(SchemaResources).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".avsc", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static string ReadText(string file)
    {
        using var stream = typeof(SchemaResources).Assembly.GetManifestResourceStream(Prefix + file)
            ?? throw new KeyNotFoundException($"No embedded schema 'schemas/{file}'. Known: {string.Join(", ", Files)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static SubjectsFile ReadSubjects()
    {
        using var doc = JsonDocument.Parse(ReadText("subjects.json"));
        return SubjectsFile.Parse(doc.RootElement);
    }
}
