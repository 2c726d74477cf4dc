namespace MesErpStreams.Avro.UnitTests;

public class BinaryEncodingTests
{
    private static byte[] Encode(string schema, object? value) => GenericDatum.Encode(Schema.Parse(schema), value);

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-2L, "03")]
    [InlineData(2L, "04")]
    [InlineData(-64L, "7F")]
    [InlineData(64L, "8001")]
    [InlineData(long.MaxValue, "FEFFFFFFFFFFFFFFFF01")]
    [InlineData(long.MinValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Longs_are_zigzag_varints(long value, string hex)
    {
        Convert.ToHexString(Encode("\"long\"", value)).Should().Be(hex);
        GenericDatum.Decode(Schema.Parse("\"long\""), Convert.FromHexString(hex)).Should().Be(value);
    }

    [Fact]
    public void Primitives_follow_the_specification_encoding()
    {
        Convert.ToHexString(Encode("\"string\"", "foo")).Should().Be("06666F6F");
        Convert.ToHexString(Encode("\"boolean\"", true)).Should().Be("01");
        Convert.ToHexString(Encode("\"float\"", 1.0f)).Should().Be("0000803F");
        Convert.ToHexString(Encode("\"double\"", 1.0)).Should().Be("000000000000F03F");
        Convert.ToHexString(Encode("\"bytes\"", new byte[] { 1, 2 })).Should().Be("040102");
        Encode("\"null\"", null).Should().BeEmpty();
        Convert.ToHexString(Encode("\"int\"", int.MinValue)).Should().Be("FFFFFFFF0F");
    }

    [Fact]
    public void Complex_types_follow_the_specification_encoding()
    {
        Convert.ToHexString(Encode("""{"type":"array","items":"long"}""", new List<object?> { 3L, 27L })).Should().Be("04063600");
        Convert.ToHexString(Encode("""["null","string"]""", "a")).Should().Be("020261");
        Convert.ToHexString(Encode("""["null","string"]""", null)).Should().Be("00");
        var e = (EnumSchema)Schema.Parse("""{"type":"enum","name":"E","symbols":["A","B","C"]}""");
        Convert.ToHexString(GenericDatum.Encode(e, new GenericEnum(e, "C"))).Should().Be("04");
        var map = Encode("""{"type":"map","values":"int"}""", new Dictionary<string, object?> { ["k"] = 1 });
        Convert.ToHexString(map).Should().Be("02026B0200");
        var record = (RecordSchema)Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}""");
        Convert.ToHexString(GenericDatum.Encode(record, new GenericRecord(record) { ["a"] = 27L, ["b"] = "foo" })).Should().Be("3606666F6F");
    }

    [Fact]
    public void Array_blocks_with_negative_counts_and_byte_sizes_are_read()
    {
        var schema = Schema.Parse("""{"type":"array","items":"long"}""");
        // block 1: count -2 (zigzag 03), byte size 2 (04), items 3 (06), 27 (36); block 2: count 1, item 1 (02); end.
        var data = Convert.FromHexString("03040636020200");

        GenericDatum.Decode(schema, data).Should().BeEquivalentTo(new List<object?> { 3L, 27L, 1L });
    }

    [Fact]
    public void Writer_fields_the_reader_drops_are_skipped_using_block_sizes()
    {
        var writer = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"skip","type":{"type":"map","values":"string"}},{"name":"keep","type":"int"}]}""");
        var reader = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"keep","type":"int"}]}""");
        // map block with count -1 and byte size 4: key "k" (02 6B) value "v" (02 76); end 00; keep = 5 (0A)
        var data = Convert.FromHexString("0108026B0276000A");

        var record = (GenericRecord)GenericDatum.Decode(writer, reader, data)!;

        record["keep"].Should().Be(5);
    }

    [Fact]
    public void Decimal_is_minimal_twos_complement_big_endian()
    {
        const string schema = """{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}""";
        Convert.ToHexString(Encode(schema, -1.28m)).Should().Be("0280");
        Convert.ToHexString(Encode(schema, 1.28m)).Should().Be("040080");
        Convert.ToHexString(Encode(schema, 0m)).Should().Be("0200");
        GenericDatum.Decode(Schema.Parse(schema), Convert.FromHexString("04FF80")).Should().Be(-1.28m, "non-minimal sign extension is accepted");
        const string fixedSchema = """{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":9,"scale":1}""";
        Convert.ToHexString(Encode(fixedSchema, -0.1m)).Should().Be("FFFFFFFF");
    }

    [Fact]
    public void Logical_types_encode_their_underlying_values()
    {
        Convert.ToHexString(Encode("""{"type":"int","logicalType":"date"}""", new DateOnly(1970, 1, 2))).Should().Be("02");
        Convert.ToHexString(Encode("""{"type":"long","logicalType":"timestamp-millis"}""", DateTimeOffset.UnixEpoch.AddMilliseconds(-1))).Should().Be("01");
        Convert.ToHexString(Encode("""{"type":"long","logicalType":"timestamp-micros"}""", DateTimeOffset.UnixEpoch.AddTicks(10))).Should().Be("02");
        Convert.ToHexString(Encode("""{"type":"long","logicalType":"local-timestamp-millis"}""", new DateTime(1970, 1, 1, 0, 0, 0, 1, DateTimeKind.Unspecified))).Should().Be("02");
        Convert.ToHexString(Encode("""{"type":"int","logicalType":"time-millis"}""", new TimeOnly(0, 0, 0, 2))).Should().Be("04");
        Convert.ToHexString(Encode("""{"type":"long","logicalType":"time-micros"}""", new TimeOnly(10))).Should().Be("02");
        var uuid = Encode("""{"type":"string","logicalType":"uuid"}""", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        uuid.Should().Equal(Encode("\"string\"", "0f8fad5b-d9cb-469f-a165-70867728950e"));
    }

    [Fact]
    public void Generic_decoding_yields_the_documented_representation()
    {
        var schema = Schema.Parse("""
            {"type":"record","name":"R","fields":[
              {"name":"d","type":{"type":"int","logicalType":"date"}},
              {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"lts","type":{"type":"long","logicalType":"local-timestamp-millis"}},
              {"name":"u","type":{"type":"string","logicalType":"uuid"}},
              {"name":"big","type":{"type":"bytes","logicalType":"decimal","precision":40,"scale":0}},
              {"name":"arr","type":{"type":"array","items":"int"}},
              {"name":"m","type":{"type":"map","values":"int"}}]}
            """);
        var big = System.Numerics.BigInteger.Pow(10, 39);
        var record = new GenericRecord((RecordSchema)schema)
        {
            ["d"] = new DateOnly(2024, 5, 1), ["ts"] = DateTimeOffset.UnixEpoch, ["lts"] = new DateTime(2024, 1, 1),
            ["u"] = Guid.Empty, ["big"] = new AvroDecimal(big, 0), ["arr"] = new[] { 1, 2 }, ["m"] = new Dictionary<string, int> { ["a"] = 1 },
        };

        var decoded = (GenericRecord)GenericDatum.Decode(schema, GenericDatum.Encode(schema, record))!;

        decoded["d"].Should().Be(new DateOnly(2024, 5, 1));
        decoded["ts"].Should().Be(DateTimeOffset.UnixEpoch);
        decoded["lts"].Should().Be(new DateTime(2024, 1, 1));
        decoded["u"].Should().Be(Guid.Empty);
        decoded["big"].Should().Be(new AvroDecimal(big, 0));
        decoded["arr"].Should().BeEquivalentTo(new List<object?> { 1, 2 });
        decoded["m"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["a"] = 1 });
    }

    [Fact]
    public void Generic_union_branch_is_chosen_by_the_value_type()
    {
        var schema = Schema.Parse("""["null","int","long","string",{"type":"enum","name":"E","symbols":["A"]},{"type":"array","items":"int"}]""");

        Encode(schema.ToJson(), 1)[0].Should().Be(2);
        Encode(schema.ToJson(), 1L)[0].Should().Be(4);
        Encode(schema.ToJson(), "A")[0].Should().Be(6);
        Encode(schema.ToJson(), new List<int>())[0].Should().Be(10);
        var wrong = () => Encode(schema.ToJson(), 1.5);
        wrong.Should().Throw<AvroEncodeException>().WithMessage("*Double*");
    }
}
