using System.CommandLine;
using MesErpStreams.Cli;

namespace MesErpStreams.Deployment.Tests;

/// <summary>A meserp command line as a deployment artifact states it, parsed by meserp's own parser.</summary>
internal sealed class MeserpCommandLine
{
    private MeserpCommandLine(string source, IReadOnlyList<string> args, ParseResult parse)
    {
        Source = source;
        Args = args;
        Parse = parse;
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        CommandPath = string.Join(' ', names);
    }

    /// <summary>Where the command line comes from (file and resource), for messages.</summary>
    public string Source { get; }

    /// <summary>The arguments after the executable.</summary>
    public IReadOnlyList<string> Args { get; }

    public ParseResult Parse { get; }

    /// <summary>The (sub-)command, e.g. <c>process</c> or <c>edge simulate</c>.</summary>
    public string CommandPath { get; }

    public IReadOnlyList<string> Errors => Parse.Errors.Select(e => e.Message).ToList();

    /// <summary>
    /// Parses <paramref name="args"/> (without the executable name). Paths inside the image that the Dockerfile fills
    /// from the repository (the schemas) are mapped to the repository's copy, since the parser checks they exist.
    /// </summary>
    public static MeserpCommandLine Of(string source, IReadOnlyList<string> args)
    {
        var imagePaths = ImagePaths.Value;
        var local = args.Select(a => imagePaths.TryGetValue(a, out var repoPath) ? repoPath : a).ToArray();
        return new(source, args, MeserpRootCommand.Create().Parse(local));
    }

    private static readonly Lazy<Dictionary<string, string>> ImagePaths = new(() =>
        DockerfileModel.Load().SchemasDirectory is { } schemas
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [schemas] = Repo.Path("schemas") }
            : new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The raw value of an option as written on the command line (last occurrence), or null.</summary>
    public string? Option(string name)
    {
        string? value = null;
        for (var i = 0; i < Args.Count - 1; i++)
        {
            if (Args[i] == name)
            {
                value = Args[i + 1];
            }
        }

        foreach (var a in Args)
        {
            if (a.StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = a[(name.Length + 1)..];
            }
        }

        return value;
    }

    public int? MetricsPort => Option("--metrics-port") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : null;

    public override string ToString() => $"{Source}: meserp {string.Join(' ', Args)}";
}
