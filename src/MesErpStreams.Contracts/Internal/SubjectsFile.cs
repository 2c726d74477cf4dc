using System.Text.Json;

namespace MesErpStreams.Contracts.Internal;

/// <summary>The parsed <c>schemas/subjects.json</c>.</summary>
internal sealed record SubjectsFile(IReadOnlyList<ContractSchemaInfo> Schemas, IReadOnlyList<string> SharedTypes)
{
    public static SubjectsFile Parse(JsonElement root)
    {
        var schemas = new List<ContractSchemaInfo>();
        foreach (var e in root.GetProperty("schemas").EnumerateArray())
        {
            var file = e.GetProperty("file").GetString() ?? throw new FormatException("subjects.json: schemas[].file is null");
            var topics = e.GetProperty("topics").EnumerateArray()
                .Select(t => t.GetString() ?? throw new FormatException($"subjects.json: null topic for {file}"))
                .ToArray();
            schemas.Add(new ContractSchemaInfo(file, topics));
        }

        var shared = root.TryGetProperty("sharedTypes", out var s)
            ? s.EnumerateArray().Select(x => x.GetString() ?? throw new FormatException("subjects.json: null shared type")).ToArray()
            : [];
        return new SubjectsFile(schemas, shared);
    }
}
