using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.IntegrationTests;

/// <summary><c>meserp schemas check --baseline-dir</c>: the CI gate against the previous schemas.</summary>
public sealed class SchemasCommandTests
{
    private static readonly string SchemasDir = FindSchemasDir();

    [Fact]
    public async Task Check_of_the_repository_schemas_against_themselves_passes()
    {
        var (exit, output) = await RunAsync("check", "--schemas-dir", SchemasDir, "--baseline-dir", SchemasDir);
        output.Should().Contain("PASSED");
        exit.Should().Be(0, output);
        output.Should().Contain("mes.events.production-confirmations-value").And.Contain("unchanged");
    }

    [Fact]
    public async Task Check_fails_with_exit_code_1_naming_the_field_when_a_change_breaks_BACKWARD()
    {
        using var changed = CopyOfSchemas();
        var file = Path.Combine(changed.Path, "mes", "ScrapReport.avsc");
        // A new required field: new consumers could not read the events already on the topic.
        var schema = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        schema["fields"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "defectCategory", ["type"] = "string", ["doc"] = "Defect category." });
        await File.WriteAllTextAsync(file, schema.ToJsonString());

        var (exit, output) = await RunAsync("check", "--schemas-dir", changed.Path, "--baseline-dir", SchemasDir);
        exit.Should().Be(1, output);
        output.Should().Contain("FAIL").And.Contain("mes.events.scrap-reports-value").And.Contain("defectCategory").And.Contain("FAILED");
    }

    [Fact]
    public async Task Check_reports_drift_between_inlined_shared_types()
    {
        using var changed = CopyOfSchemas();
        var file = Path.Combine(changed.Path, "mes", "QualityHold.avsc");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"tracestate\"", "\"traceState\"", StringComparison.Ordinal));
        var (exit, output) = await RunAsync("check", "--schemas-dir", changed.Path, "--baseline-dir", SchemasDir);
        exit.Should().Be(1, output);
        output.Should().Contain("com.meserp.common.TraceContext");
    }

    [Fact]
    public async Task Two_schemas_for_one_topic_and_unmapped_files_fail_the_check()
    {
        using var changed = CopyOfSchemas();
        var subjects = Path.Combine(changed.Path, "subjects.json");
        await File.WriteAllTextAsync(subjects, (await File.ReadAllTextAsync(subjects))
            .Replace("\"topics\": [ \"mes.events.scrap-reports\" ]", "\"topics\": [ \"mes.events.material-consumptions\" ]", StringComparison.Ordinal));
        File.Copy(Path.Combine(changed.Path, "mes", "ScrapReport.avsc"), Path.Combine(changed.Path, "mes", "Stray.avsc"));
        var (exit, output) = await RunAsync("check", "--schemas-dir", changed.Path, "--baseline-dir", SchemasDir);
        exit.Should().Be(1, output);
        output.Should().Contain("subject 'mes.events.material-consumptions-value' is mapped from").And.Contain("mes/Stray.avsc: not mapped");
    }

    [Fact]
    public async Task Register_then_list_and_check_against_a_running_registry()
    {
        using var cluster = Kafka.Embedded.EmbeddedKafkaCluster.Start(new Kafka.Embedded.EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("_schemas", 1, 1);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false });

        var (registerExit, registerOutput) = await RunAsync("register", "--schemas-dir", SchemasDir, "--schema-registry-url", registry.Url);
        registerExit.Should().Be(0, registerOutput);
        registerOutput.Should().Contain("erp.posting-results-value").And.Contain("version 1");

        var (listExit, listOutput) = await RunAsync("list", "--schema-registry-url", registry.Url);
        listExit.Should().Be(0, listOutput);
        listOutput.Should().Contain("12 subject(s)").And.Contain("com.meserp.erp.ErpPostingCommand").And.Contain("BACKWARD");

        var (checkExit, checkOutput) = await RunAsync("check", "--schemas-dir", SchemasDir, "--schema-registry-url", registry.Url, "--subject-name-strategy", "record");
        checkExit.Should().Be(0, checkOutput);
        checkOutput.Should().Contain("com.meserp.mes.QualityHold").And.Contain("NEW");
    }

    [Fact]
    public async Task Missing_registry_url_and_baseline_is_a_usage_error_naming_the_option()
    {
        var command = SchemasCommand.Create(new StringWriter());
        var act = () => command.Parse(["check", "--schemas-dir", SchemasDir]).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        if (Environment.GetEnvironmentVariable("MESERP_SchemaRegistry__Url") is null)
        {
            await act.Should().ThrowAsync<ArgumentException>().WithMessage("*--schema-registry-url*");
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var parse = SchemasCommand.Create(output).Parse(args);
        parse.Errors.Should().BeEmpty();
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, output.ToString());
    }

    private static TempDir CopyOfSchemas()
    {
        var temp = new TempDir();
        foreach (var file in Directory.GetFiles(SchemasDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(temp.Path, Path.GetRelativePath(SchemasDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return temp;
    }

    private static string FindSchemasDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "schemas", "subjects.json")))
            {
                return Path.Combine(dir.FullName, "schemas");
            }
        }

        throw new InvalidOperationException("schemas/ not found");
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("meserp-schemas-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
