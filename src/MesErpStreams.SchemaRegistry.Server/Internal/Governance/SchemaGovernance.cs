using MesErpStreams.Avro;

namespace MesErpStreams.SchemaRegistry.Server.Internal.Governance;

/// <summary>The work of <c>meserp schemas check|register|list</c>, writing a readable report.</summary>
internal sealed class SchemaGovernance
{
    private readonly ISchemaRegistryClient registry;
    private readonly TextWriter output;

    public SchemaGovernance(ISchemaRegistryClient registry, TextWriter output)
    {
        this.registry = registry;
        this.output = output;
    }

    /// <summary>Checks every mapped schema against its subject per the subject's level; 0 when all pass, 1 otherwise.</summary>
    public async Task<int> CheckAsync(SchemaDirectory dir, SubjectNameStrategy strategy, string registryName, CancellationToken ct)
    {
        var subjects = dir.Subjects(strategy).ToArray();
        await output.WriteLineAsync($"schemas check: {dir.Schemas.Count} schema files in {dir.Root}, {subjects.Length} subjects, against {registryName}");
        var failures = ReportProblems(dir, strategy);
        foreach (var (subject, file, schema) in subjects)
        {
            var json = schema.ToJson();
            IReadOnlyList<int> versions;
            try
            {
                versions = await registry.GetVersionsAsync(subject, ct);
            }
            catch (SchemaRegistryException e) when (e.ErrorCode == SchemaRegistryException.SubjectNotFound)
            {
                await Line("NEW", subject, file, "not registered yet (first version)");
                continue;
            }

            var level = await registry.GetCompatibilityAsync(subject, defaultToGlobal: true, ct);
            var levelName = level is { } l ? CompatibilityLevelNames.ToName(l) : "?";
            var latest = await registry.GetLatestSchemaAsync(subject, ct);
            if (Schema.Parse(latest.SchemaString).ToJson() == json)
            {
                await Line("OK", subject, file, $"unchanged (version {latest.Version}, id {latest.Id}, {levelName})");
                continue;
            }

            var verdict = await registry.TestCompatibilityAsync(subject, json, null, ct);
            if (verdict.IsCompatible)
            {
                await Line("OK", subject, file, $"compatible with {versions.Count} registered version(s) under {levelName}: would become version {latest.Version + 1}");
            }
            else
            {
                failures++;
                await Line("FAIL", subject, file, $"INCOMPATIBLE under {levelName} with the registered version(s) (latest {latest.Version}, id {latest.Id}):");
                foreach (var m in verdict.Messages.DefaultIfEmpty("(the registry gave no details)"))
                {
                    await output.WriteLineAsync($"          - {m}");
                }
            }
        }

        await output.WriteLineAsync(failures == 0
            ? "schemas check: PASSED"
            : $"schemas check: FAILED ({failures} problem(s)). Make the change compatible (add fields with defaults, keep fields that have none), or introduce a new subject/topic.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Registers every mapped schema under its subjects; 0 when all registered, 1 otherwise.</summary>
    public async Task<int> RegisterAsync(SchemaDirectory dir, SubjectNameStrategy strategy, CancellationToken ct)
    {
        var failures = ReportProblems(dir, strategy);
        if (failures > 0)
        {
            await output.WriteLineAsync("schemas register: not registering anything while the schemas directory has problems");
            return 1;
        }

        foreach (var (subject, file, schema) in dir.Subjects(strategy))
        {
            try
            {
                var id = await registry.RegisterSchemaAsync(subject, schema.ToJson(), ct);
                var registered = await registry.LookupSchemaAsync(subject, schema.ToJson(), ct);
                await Line("OK", subject, file, $"id {id}, version {registered.Version}");
            }
            catch (SchemaRegistryException e) when (e.StatusCode is 409 or 422)
            {
                failures++;
                await Line("FAIL", subject, file, e.Message);
            }
        }

        await output.WriteLineAsync(failures == 0 ? "schemas register: done" : $"schemas register: {failures} subject(s) refused");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Lists subjects with their latest version, id, level and record name.</summary>
    public async Task<int> ListAsync(CancellationToken ct)
    {
        var subjects = await registry.GetSubjectsAsync(ct);
        var global = await registry.GetCompatibilityAsync(null, true, ct);
        await output.WriteLineAsync($"{subjects.Count} subject(s); global compatibility {(global is { } g ? CompatibilityLevelNames.ToName(g) : "?")}");
        await output.WriteLineAsync($"{"subject",-50} {"versions",8} {"latest",6} {"id",6}  {"compatibility",-20} record");
        foreach (var subject in subjects)
        {
            var versions = await registry.GetVersionsAsync(subject, ct);
            var latest = await registry.GetLatestSchemaAsync(subject, ct);
            var level = await registry.GetCompatibilityAsync(subject, true, ct);
            string name;
            try
            {
                name = Schema.Parse(latest.SchemaString) is NamedSchema n ? n.FullName : "(unnamed)";
            }
            catch (AvroSchemaParseException)
            {
                name = "(not Avro)";
            }

            await output.WriteLineAsync($"{subject,-50} {versions.Count,8} {latest.Version,6} {latest.Id,6}  {(level is { } l ? CompatibilityLevelNames.ToName(l) : "?"),-20} {name}");
        }

        return 0;
    }

    private int ReportProblems(SchemaDirectory dir, SubjectNameStrategy strategy)
    {
        var problems = dir.Problems.Concat(dir.SubjectConflicts(strategy)).ToArray();
        foreach (var p in problems)
        {
            output.WriteLine($"  FAIL  {p}");
        }

        return problems.Length;
    }

    private Task Line(string status, string subject, string file, string text) =>
        output.WriteLineAsync($"  {status,-4}  {subject}  ({file}): {text}");
}
