namespace MesErpStreams.Avro.UnitTests;

public class ResolutionTests
{
    private static object? Resolve(string writer, string reader, object? value)
    {
        var w = Schema.Parse(writer);
        return GenericDatum.Decode(w, Schema.Parse(reader), GenericDatum.Encode(w, value));
    }

    [Theory]
    [InlineData("\"int\"", "\"long\"", 5, 5L)]
    [InlineData("\"int\"", "\"float\"", 5, 5f)]
    [InlineData("\"int\"", "\"double\"", 5, 5d)]
    [InlineData("\"long\"", "\"float\"", 5L, 5f)]
    [InlineData("\"long\"", "\"double\"", 5L, 5d)]
    [InlineData("\"float\"", "\"double\"", 1.5f, 1.5d)]
    [InlineData("\"string\"", "\"bytes\"", "hi", new byte[] { 0x68, 0x69 })]
    [InlineData("\"bytes\"", "\"string\"", new byte[] { 0x68, 0x69 }, "hi")]
    public void Primitive_promotions_apply(string writer, string reader, object value, object expected)
    {
        Resolve(writer, reader, value).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void Non_promotable_primitive_fails_resolution()
    {
        var act = () => Resolve("\"long\"", "\"int\"", 1L);

        act.Should().Throw<AvroResolutionException>().WithMessage("*writer long cannot be read as reader int*");
    }

    [Fact]
    public void Fields_are_matched_by_name_in_any_order_with_defaults_for_missing_ones()
    {
        const string writer = """{"type":"record","name":"R","fields":[{"name":"b","type":"string"},{"name":"gone","type":{"type":"array","items":"long"}},{"name":"a","type":"int"}]}""";
        const string reader = """
            {"type":"record","name":"R","fields":[
              {"name":"a","type":"long"},{"name":"b","type":"string"},
              {"name":"c","type":{"type":"record","name":"Sub","fields":[{"name":"x","type":"int"},{"name":"y","type":"string","default":"dflt"}]},"default":{"x":4}},
              {"name":"d","type":["null","int"],"default":null},
              {"name":"e","type":{"type":"map","values":"bytes"},"default":{"k":"\u00ff"}}]}
            """;
        var w = (RecordSchema)Schema.Parse(writer);

        var r = (GenericRecord)Resolve(writer, reader, new GenericRecord(w) { ["b"] = "B", ["gone"] = new List<object?> { 1L, 2L }, ["a"] = 1 })!;

        r["a"].Should().Be(1L);
        r["b"].Should().Be("B");
        ((GenericRecord)r["c"]!)["x"].Should().Be(4);
        ((GenericRecord)r["c"]!)["y"].Should().Be("dflt");
        r["d"].Should().BeNull();
        ((Dictionary<string, object?>)r["e"]!)["k"].Should().BeEquivalentTo(new byte[] { 0xFF });
    }

    [Fact]
    public void Reader_field_without_default_missing_from_writer_fails()
    {
        var act = () => Resolve("""{"type":"record","name":"R","fields":[]}""", """{"type":"record","name":"R","fields":[{"name":"quantity","type":"int"}]}""",
            new GenericRecord((RecordSchema)Schema.Parse("""{"type":"record","name":"R","fields":[]}""")));

        act.Should().Throw<AvroResolutionException>().WithMessage("*'quantity'*no default*missing from the writer*");
    }

    [Fact]
    public void Aliases_resolve_renamed_records_and_fields()
    {
        const string writer = """{"type":"record","name":"old.Order","fields":[{"name":"qty","type":"int"}]}""";
        const string reader = """{"type":"record","name":"Order2","namespace":"neu","aliases":["old.Order"],"fields":[{"name":"quantity","type":"int","aliases":["qty"]}]}""";
        var w = (RecordSchema)Schema.Parse(writer);

        var r = (GenericRecord)Resolve(writer, reader, new GenericRecord(w) { ["qty"] = 9 })!;

        r.Schema.FullName.Should().Be("neu.Order2");
        r["quantity"].Should().Be(9);
    }

    [Fact]
    public void Records_with_different_names_and_no_alias_do_not_resolve()
    {
        var act = () => Resolve("""{"type":"record","name":"A","fields":[]}""", """{"type":"record","name":"B","fields":[]}""",
            new GenericRecord((RecordSchema)Schema.Parse("""{"type":"record","name":"A","fields":[]}""")));

        act.Should().Throw<AvroResolutionException>().WithMessage("*names differ*");
    }

    [Fact]
    public void Unknown_enum_symbol_uses_the_reader_default_or_fails_when_encountered()
    {
        const string writer = """{"type":"enum","name":"E","symbols":["A","NEW"]}""";
        var w = (EnumSchema)Schema.Parse(writer);

        Resolve(writer, """{"type":"enum","name":"E","symbols":["UNKNOWN","A"],"default":"UNKNOWN"}""", new GenericEnum(w, "NEW"))!
            .ToString().Should().Be("UNKNOWN");
        Resolve(writer, """{"type":"enum","name":"E","symbols":["A"]}""", new GenericEnum(w, "A"))!.ToString().Should().Be("A");
        var act = () => Resolve(writer, """{"type":"enum","name":"E","symbols":["A"]}""", new GenericEnum(w, "NEW"));
        act.Should().Throw<AvroDecodeException>().WithMessage("*'NEW'*no default symbol*");
    }

    [Fact]
    public void Unions_resolve_on_both_sides()
    {
        Resolve("""["null","int"]""", """["null","long","string"]""", 3).Should().Be(3L);
        Resolve("\"int\"", """["null","string","long"]""", 3).Should().Be(3L);
        Resolve("""["int","string"]""", "\"string\"", "s").Should().Be("s");
        var act = () => Resolve("""["int","string"]""", "\"string\"", 1);
        act.Should().Throw<AvroDecodeException>().WithMessage("*Writer union branch 0 (int) cannot be read*");
        var none = () => Resolve("\"boolean\"", """["null","string"]""", true);
        none.Should().Throw<AvroResolutionException>().WithMessage("*matches no branch*");
    }

    [Fact]
    public void Fixed_sizes_must_match()
    {
        var w = (FixedSchema)Schema.Parse("""{"type":"fixed","name":"F","size":2}""");
        var act = () => Resolve(w.ToJson(), """{"type":"fixed","name":"F","size":3}""", new GenericFixed(w, [1, 2]));

        act.Should().Throw<AvroResolutionException>().WithMessage("*size 2*reader size is 3*");
    }

    [Fact]
    public void Decimals_are_read_at_the_writer_scale()
    {
        Resolve("""{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}""", """{"type":"bytes","logicalType":"decimal","precision":12,"scale":4}""", 1.25m)
            .Should().Be(1.25m);
    }

    [Fact]
    public void Resolving_reader_is_built_once_per_writer_schema()
    {
        var reader = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""");
        var writer = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
        var codec = AvroCodec.For<Holder>(reader);
        var data = GenericDatum.Encode(writer, new GenericRecord((RecordSchema)writer) { ["a"] = 2 });

        codec.Decode(data, writer).A.Should().Be(2);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            codec.Decode(data, writer);
        }

        (GC.GetAllocatedBytesForCurrentThread() - allocated).Should().BeLessThan(100_000, "no per-call compilation or reflection");
    }

    public sealed record Holder(long A);
}
