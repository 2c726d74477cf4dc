using System.Text.Json;
using System.Text.RegularExpressions;

namespace MesErpStreams.Deployment.Tests;

/// <summary>The instructions of the repository's Dockerfile that the other artifacts depend on.</summary>
internal sealed partial record DockerfileModel(
    IReadOnlyList<string> BaseImages,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    string? User,
    string? PublishedProject,
    string? SchemasDirectory,
    string? WorkDir,
    IReadOnlyList<string> Instructions)
{
    public static DockerfileModel Load() => Parse(Repo.Read("Dockerfile"));

    public static DockerfileModel Parse(string text)
    {
        // Join continuation lines, drop comments.
        var instructions = new List<string>();
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (current.Length == 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                instructions.Add(current.Trim());
            }

            current = "";
        }

        string? Last(string keyword) => instructions.LastOrDefault(i => i.StartsWith(keyword + " ", StringComparison.Ordinal))?[(keyword.Length + 1)..].Trim();
        static IReadOnlyList<string> Exec(string? json) => json is null ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

        var froms = instructions.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal))
            .Select(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).First(t => !t.StartsWith("--", StringComparison.Ordinal)))
            .ToList();
        var publish = instructions.Select(i => PublishRegex().Match(i)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var schemas = instructions.Select(i => SchemasCopyRegex().Match(i)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return new DockerfileModel(froms, Exec(Last("ENTRYPOINT")), Exec(Last("CMD")), Last("USER"), publish, schemas, Last("WORKDIR"), instructions);
    }

    [GeneratedRegex(@"dotnet publish (\S+)")]
    private static partial Regex PublishRegex();

    [GeneratedRegex(@"^COPY --from=\S+ \S*/schemas (\S+)$")]
    private static partial Regex SchemasCopyRegex();
}
