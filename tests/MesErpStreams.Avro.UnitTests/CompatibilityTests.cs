using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.Avro.UnitTests;

public class CompatibilityTests
{
    private const string V1 = """
        {"type":"record","name":"Confirmation","namespace":"m","fields":[
          {"name":"plant","type":"string"},
          {"name":"count","type":"int"},
          {"name":"unit","type":{"type":"enum","name":"Unit","symbols":["EA","KG"]}},
          {"name":"batch","type":["null","string"],"default":null}]}
        """;

    private static CompatibilityResult CanRead(string reader, string writer) => SchemaCompatibility.CanRead(Schema.Parse(reader), Schema.Parse(writer));

    private static string WithFields(string extraFields) =>
        V1.Replace("""{"name":"batch","type":["null","string"],"default":null}]}""", """{"name":"batch","type":["null","string"],"default":null}""" + extraFields + "]}", StringComparison.Ordinal);

    [Fact]
    public void Identical_schemas_are_compatible()
    {
        CanRead(V1, V1).IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Reader_field_without_default_missing_from_writer_is_named_with_its_path()
    {
        var result = CanRead(WithFields(""",{"name":"quantity","type":"long"}"""), V1);

        result.IsCompatible.Should().BeFalse();
        result.Messages.Should().ContainSingle().Which.Should().Be("reader field 'quantity' at /fields/4 of 'm.Confirmation' has no default and is missing from the writer");
    }

    [Fact]
    public void Added_field_with_default_and_removed_field_are_compatible()
    {
        CanRead(WithFields(""",{"name":"note","type":"string","default":""}"""), V1).IsCompatible.Should().BeTrue();
        CanRead(V1.Replace("""{"name":"count","type":"int"},""", "", StringComparison.Ordinal), V1).IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Type_change_without_promotion_names_field_and_types()
    {
        var result = CanRead(V1.Replace("""{"name":"count","type":"int"}""", """{"name":"count","type":"string"}""", StringComparison.Ordinal), V1);

        result.Messages.Should().ContainSingle().Which.Should().Contain("field 'count'").And.Contain("/fields/1/type")
            .And.Contain("reader type string cannot read writer type int");
    }

    [Fact]
    public void Promotion_is_compatible_one_way_only()
    {
        var widened = V1.Replace("""{"name":"count","type":"int"}""", """{"name":"count","type":"long"}""", StringComparison.Ordinal);

        CanRead(widened, V1).IsCompatible.Should().BeTrue();
        CanRead(V1, widened).Messages.Should().ContainSingle().Which.Should().Contain("reader type int cannot read writer type long");
    }

    [Fact]
    public void Enum_symbol_removed_breaks_unless_reader_has_a_default()
    {
        var fewer = V1.Replace("""["EA","KG"]""", """["EA"]""", StringComparison.Ordinal);
        var fewerWithDefault = V1.Replace("""["EA","KG"]}""", """["EA"],"default":"EA"}""", StringComparison.Ordinal);

        CanRead(fewer, V1).Messages.Should().ContainSingle().Which.Should().Contain("field 'unit'").And.Contain("lacks writer symbol(s) 'KG'");
        CanRead(fewerWithDefault, V1).IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Union_branch_missing_in_reader_is_reported()
    {
        var wider = V1.Replace("""["null","string"]""", """["null","string","int"]""", StringComparison.Ordinal);

        CanRead(V1, wider).Messages.Should().ContainSingle().Which.Should().Contain("field 'batch'").And.Contain("no branch for writer union branch 2 (int)");
        CanRead(wider, V1).IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Fixed_size_and_named_type_names_must_match()
    {
        CanRead("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":8}""").Messages.Should().ContainSingle()
            .Which.Should().Contain("fixed size mismatch").And.Contain("reader 'F' has 4 bytes, writer has 8");
        CanRead("""{"type":"record","name":"B","fields":[]}""", """{"type":"record","name":"A","fields":[]}""").Messages.Should().ContainSingle()
            .Which.Should().Contain("name mismatch");
        CanRead("""{"type":"record","name":"B","aliases":["A"],"fields":[]}""", """{"type":"record","name":"A","fields":[]}""").IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Field_rename_needs_an_alias()
    {
        var renamed = V1.Replace("""{"name":"plant","type":"string"}""", """{"name":"site","type":"string"}""", StringComparison.Ordinal);
        var aliased = V1.Replace("""{"name":"plant","type":"string"}""", """{"name":"site","type":"string","aliases":["plant"]}""", StringComparison.Ordinal);

        CanRead(renamed, V1).Messages.Should().ContainSingle().Which.Should().Contain("'site'");
        CanRead(aliased, V1).IsCompatible.Should().BeTrue();
    }

    [Fact]
    public void Recursive_schemas_are_checked_without_looping()
    {
        const string list = """{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}""";
        const string widened = """{"type":"record","name":"L","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","L"]}]}""";

        CanRead(widened, list).IsCompatible.Should().BeTrue();
        CanRead(list, widened).IsCompatible.Should().BeFalse();
    }

    [Theory]
    [InlineData(CompatibilityLevel.None, true)]
    [InlineData(CompatibilityLevel.Backward, false)]
    [InlineData(CompatibilityLevel.BackwardTransitive, false)]
    [InlineData(CompatibilityLevel.Forward, true)]
    [InlineData(CompatibilityLevel.ForwardTransitive, true)]
    [InlineData(CompatibilityLevel.Full, false)]
    [InlineData(CompatibilityLevel.FullTransitive, false)]
    public void Adding_a_required_field_is_forward_but_not_backward_compatible(CompatibilityLevel level, bool compatible)
    {
        var result = SchemaCompatibility.Check(Schema.Parse(WithFields(""",{"name":"quantity","type":"long"}""")), [Schema.Parse(V1)], level);

        result.IsCompatible.Should().Be(compatible);
        if (!compatible)
        {
            result.Messages.Should().Contain(m => m.StartsWith("BACKWARD:", StringComparison.Ordinal) && m.Contains("'quantity'", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(CompatibilityLevel.Backward, true)]
    [InlineData(CompatibilityLevel.BackwardTransitive, false)]
    [InlineData(CompatibilityLevel.Forward, true)]
    [InlineData(CompatibilityLevel.ForwardTransitive, false)]
    [InlineData(CompatibilityLevel.Full, true)]
    [InlineData(CompatibilityLevel.FullTransitive, false)]
    public void Transitive_levels_check_every_earlier_version(CompatibilityLevel level, bool compatible)
    {
        // v1 has 'legacy' without default; v2 dropped it... and v3 (candidate) adds it back with a different type.
        var v1 = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"legacy","type":"int"}]}""");
        var v2 = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
        var v3 = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"legacy","type":"string","default":""}]}""");

        var result = SchemaCompatibility.Check(v3, [v1, v2], level);

        result.IsCompatible.Should().Be(compatible);
        if (!compatible)
        {
            result.Messages.Should().OnlyContain(m => m.Contains("version 1 of 2", StringComparison.Ordinal) && m.Contains("'legacy'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void No_existing_versions_is_always_compatible()
    {
        SchemaCompatibility.Check(Schema.Parse(V1), [], CompatibilityLevel.FullTransitive).IsCompatible.Should().BeTrue();
    }
}
