using MesErpStreams.Avro;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Contracts.UnitTests;

/// <summary>The embedded schemas are exactly the files of schemas/ and follow its rules.</summary>
public sealed class SchemaFilesTests
{
    private static readonly string SchemasDir = FindSchemasDir();

    [Fact]
    public void Every_file_in_schemas_is_embedded_unchanged()
    {
        var onDisk = Directory.GetFiles(SchemasDir, "*.avsc", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SchemasDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        ContractSchemas.Files.Should().Equal(onDisk);
        foreach (var file in onDisk)
        {
            ContractSchemas.GetJson(file).Should().Be(File.ReadAllText(Path.Combine(SchemasDir, file)), file);
        }
    }

    [Fact]
    public void Every_schema_parses_and_is_a_named_type_matching_its_file_name()
    {
        foreach (var file in ContractSchemas.Files)
        {
            var schema = ContractSchemas.Get(file);
            var named = schema.Should().BeAssignableTo<NamedSchema>(file).Subject;
            named.Name.Should().Be(Path.GetFileNameWithoutExtension(file), file);
            named.Namespace.Should().StartWith("com.meserp.", file);
        }
    }

    [Fact]
    public void Inlined_shared_types_are_identical_everywhere()
    {
        var all = ContractSchemas.Files.Select(f => KeyValuePair.Create(f, ContractSchemas.Get(f)));
        ContractSchemas.FindSharedTypeConflicts(all).Should().BeEmpty();
    }

    [Fact]
    public void Shared_type_conflict_is_reported_with_both_files()
    {
        var a = Schema.Parse("""{"type":"record","name":"A","namespace":"x","fields":[{"name":"t","type":{"type":"enum","name":"E","symbols":["U","V"]}}]}""");
        var b = Schema.Parse("""{"type":"record","name":"B","namespace":"x","fields":[{"name":"t","type":{"type":"enum","name":"E","symbols":["U"]}}]}""");
        var conflicts = ContractSchemas.FindSharedTypeConflicts([KeyValuePair.Create("a.avsc", a), KeyValuePair.Create("b.avsc", b)]);
        conflicts.Should().ContainSingle().Which.Should().Contain("x.E").And.Contain("a.avsc").And.Contain("b.avsc");
    }

    [Fact]
    public void Every_record_enum_and_field_is_documented()
    {
        foreach (var file in ContractSchemas.Files)
        {
            foreach (var (path, doc) in Docs(ContractSchemas.Get(file), file, []))
            {
                doc.Should().NotBeNullOrWhiteSpace(path);
            }
        }
    }

    [Fact]
    public void Enums_have_UNKNOWN_as_default_and_optional_fields_default_to_null()
    {
        foreach (var file in ContractSchemas.Files)
        {
            Walk(ContractSchemas.Get(file), [], s =>
            {
                if (s is EnumSchema e)
                {
                    e.Default.Should().Be("UNKNOWN", e.FullName);
                    e.Symbols[0].Should().Be("UNKNOWN", e.FullName);
                }
                else if (s is RecordSchema r)
                {
                    foreach (var f in r.Fields.Where(f => f.Schema is UnionSchema u && u.Branches[0].Type == SchemaType.Null))
                    {
                        f.DefaultJson.Should().Be("null", $"{r.FullName}.{f.Name}");
                    }
                }
                else if (s.Type == SchemaType.Float || s.Type == SchemaType.Double)
                {
                    throw new Xunit.Sdk.XunitException($"{file}: floating point type; quantities must be decimals");
                }
            });
        }
    }

    [Fact]
    public void Every_topic_schema_has_a_contract_type()
    {
        var bound = new Dictionary<string, Schema>
        {
            ["com.meserp.mes.ProductionConfirmation"] = ProductionConfirmation.Schema,
            ["com.meserp.mes.ScrapReport"] = ScrapReport.Schema,
            ["com.meserp.mes.MaterialConsumption"] = MaterialConsumption.Schema,
            ["com.meserp.mes.QualityHold"] = QualityHold.Schema,
            ["com.meserp.erp.master.WorkOrder"] = WorkOrder.Schema,
            ["com.meserp.erp.master.Material"] = Material.Schema,
            ["com.meserp.erp.ErpPostingCommand"] = ErpPostingCommand.Schema,
            ["com.meserp.erp.PostingResult"] = PostingResult.Schema,
        };
        ContractSchemas.TopicSchemas.Select(s => ((NamedSchema)ContractSchemas.Get(s.File)).FullName)
            .Should().BeEquivalentTo(bound.Keys);
        ContractSchemas.TopicSchemas.Should().OnlyContain(s => s.Topics.Count > 0);
    }

    private static List<(string Path, string? Doc)> Docs(Schema schema, string path, HashSet<string> seen)
    {
        var result = new List<(string, string?)>();
        Walk(schema, seen, s =>
        {
            if (s is NamedSchema n && s is not FixedSchema)
            {
                result.Add(($"{path}: {n.FullName}", n.Doc));
            }

            if (s is RecordSchema r)
            {
                result.AddRange(r.Fields.Select(f => ($"{path}: {r.FullName}.{f.Name}", f.Doc)));
            }
        });
        return result;
    }

    private static void Walk(Schema schema, HashSet<string> seen, Action<Schema> visit)
    {
        if (schema is NamedSchema n && !seen.Add(n.FullName))
        {
            return;
        }

        visit(schema);
        switch (schema)
        {
            case RecordSchema r:
                foreach (var f in r.Fields)
                {
                    Walk(f.Schema, seen, visit);
                }

                break;
            case ArraySchema a:
                Walk(a.Items, seen, visit);
                break;
            case MapSchema m:
                Walk(m.Values, seen, visit);
                break;
            case UnionSchema u:
                foreach (var b in u.Branches)
                {
                    Walk(b, seen, visit);
                }

                break;
        }
    }

    private static string FindSchemasDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schemas", "subjects.json");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("schemas/ not found above " + AppContext.BaseDirectory);
    }
}
