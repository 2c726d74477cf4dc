using System.Text.Json;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;

namespace MesErpStreams.SchemaRegistry.Server.Internal.Governance;

/// <summary>
/// A <c>schemas/</c> directory: every <c>.avsc</c> file parsed, the topic mapping of <c>subjects.json</c>, and the
/// problems found while loading (unparseable files, unmapped files, drifting shared types).
/// </summary>
internal sealed class SchemaDirectory
{
    private SchemaDirectory(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Parsed schemas by relative path.</summary>
    public SortedDictionary<string, Schema> Schemas { get; } = new(StringComparer.Ordinal);

    /// <summary>Relative path to topics, for files that are topic values.</summary>
    public List<ContractSchemaInfo> Mapped { get; } = [];

    public List<string> Problems { get; } = [];

    public static SchemaDirectory Load(string root)
    {
        var dir = new SchemaDirectory(Path.GetFullPath(root));
        if (!Directory.Exists(dir.Root))
        {
            dir.Problems.Add($"schemas directory '{dir.Root}' does not exist");
            return dir;
        }

        foreach (var file in Directory.GetFiles(dir.Root, "*.avsc", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(dir.Root, file).Replace('\\', '/');
            try
            {
                dir.Schemas[rel] = Schema.Parse(File.ReadAllText(file));
            }
            catch (AvroSchemaParseException e)
            {
                dir.Problems.Add($"{rel}: invalid schema: {e.Message}");
            }
        }

        var shared = new HashSet<string>(StringComparer.Ordinal);
        var subjectsFile = Path.Combine(dir.Root, "subjects.json");
        if (!File.Exists(subjectsFile))
        {
            dir.Problems.Add("subjects.json is missing: no file is mapped to a topic");
        }
        else
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(subjectsFile));
                foreach (var e in doc.RootElement.GetProperty("schemas").EnumerateArray())
                {
                    var file = e.GetProperty("file").GetString()!;
                    var topics = e.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToArray();
                    if (!dir.Schemas.ContainsKey(file) && File.Exists(Path.Combine(dir.Root, file)))
                    {
                        continue; // unparseable: already reported
                    }

                    if (!dir.Schemas.ContainsKey(file))
                    {
                        dir.Problems.Add($"subjects.json maps '{file}', which does not exist");
                        continue;
                    }

                    dir.Mapped.Add(new ContractSchemaInfo(file, topics));
                }

                if (doc.RootElement.TryGetProperty("sharedTypes", out var s))
                {
                    shared.UnionWith(s.EnumerateArray().Select(x => x.GetString()!));
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                dir.Problems.Add($"subjects.json is malformed: {e.Message}");
            }
        }

        var mapped = dir.Mapped.Select(m => m.File).ToHashSet(StringComparer.Ordinal);
        foreach (var file in dir.Schemas.Keys.Where(f => !mapped.Contains(f) && !shared.Contains(f)))
        {
            dir.Problems.Add($"{file}: not mapped to a topic in subjects.json and not a shared type (it would escape the compatibility check)");
        }

        dir.Problems.AddRange(ContractSchemas.FindSharedTypeConflicts(dir.Schemas));
        return dir;
    }

    /// <summary>Subjects that two different files map to under <paramref name="strategy"/> (one topic, two value schemas).</summary>
    public IEnumerable<string> SubjectConflicts(SubjectNameStrategy strategy) =>
        Mapped.SelectMany(m => m.Topics.Select(t => (Subject: SubjectNames.Get(strategy, t, false, (Schemas[m.File] as NamedSchema)?.FullName), m.File)))
            .GroupBy(x => x.Subject, StringComparer.Ordinal)
            .Where(g => g.Select(x => x.File).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => $"subject '{g.Key}' is mapped from {string.Join(" and ", g.Select(x => x.File).Distinct(StringComparer.Ordinal))}");

    /// <summary>(subject, file, schema) for every mapped file and topic under <paramref name="strategy"/>.</summary>
    public IEnumerable<(string Subject, string File, Schema Schema)> Subjects(SubjectNameStrategy strategy) =>
        Mapped.SelectMany(m => m.Topics.Select(t => (SubjectNames.Get(strategy, t, false, (Schemas[m.File] as NamedSchema)?.FullName), m.File, Schemas[m.File])))
            .DistinctBy(x => x.Item1)
            .Select(x => (x.Item1, x.File, x.Item3));
}
