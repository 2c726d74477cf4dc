namespace MesErpStreams.Avro.UnitTests;

public class TypedBindingTests
{
    public enum Status
    {
        [AvroEnumSymbol("PLACED")]
        Placed,
        [AvroEnumSymbol("RELEASED")]
        Released,
    }

    public sealed record Logical(
        DateOnly Day,
        TimeOnly AtMillis,
        TimeOnly AtMicros,
        DateTimeOffset TsMillis,
        DateTime TsMicros,
        DateTime LocalMillis,
        DateTime LocalMicros,
        Guid Id,
        decimal Amount,
        decimal FixedAmount,
        Status Status,
        byte[] Raw,
        int? Maybe,
        string[] Names,
        List<long> Numbers,
        Dictionary<string, double> Scores,
        Inner? Child);

    public sealed record Inner(string Name, IReadOnlyList<Inner> Children);

    private const string LogicalSchema = """
        {"type":"record","name":"Logical","fields":[
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"atMillis","type":{"type":"int","logicalType":"time-millis"}},
          {"name":"atMicros","type":{"type":"long","logicalType":"time-micros"}},
          {"name":"tsMillis","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"tsMicros","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"localMillis","type":{"type":"long","logicalType":"local-timestamp-millis"}},
          {"name":"localMicros","type":{"type":"long","logicalType":"local-timestamp-micros"}},
          {"name":"id","type":{"type":"string","logicalType":"uuid"}},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
          {"name":"fixedAmount","type":{"type":"fixed","name":"Dec","size":9,"logicalType":"decimal","precision":20,"scale":3}},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["PLACED","RELEASED"]}},
          {"name":"raw","type":"bytes"},
          {"name":"maybe","type":["int","null"]},
          {"name":"names","type":{"type":"array","items":"string"}},
          {"name":"numbers","type":{"type":"array","items":"long"}},
          {"name":"scores","type":{"type":"map","values":"double"}},
          {"name":"child","type":["null",{"type":"record","name":"Inner","fields":[
             {"name":"name","type":"string"},{"name":"children","type":{"type":"array","items":"Inner"}}]}]}]}
        """;

    private static Logical Sample() => new(
        new DateOnly(1969, 12, 31), new TimeOnly(23, 59, 59, 999), new TimeOnly(12, 0, 0, 0, 1), DateTimeOffset.UnixEpoch.AddMilliseconds(-1500),
        new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(10), new DateTime(2024, 2, 29, 10, 0, 0), new DateTime(1900, 1, 1).AddTicks(30),
        Guid.NewGuid(), -123456789012.123456m, 12345678901234567.891m, Status.Released, [0, 255], null, ["x", ""], [long.MinValue],
        new Dictionary<string, double> { ["a"] = double.NaN }, new Inner("root", [new Inner("leaf", [])]));

    [Fact]
    public void Every_logical_type_and_collection_shape_round_trips()
    {
        var codec = AvroCodec.For<Logical>(Schema.Parse(LogicalSchema));
        var value = Sample();

        var decoded = codec.Decode(codec.Encode(value));

        decoded.Should().BeEquivalentTo(value, o => o.ComparingByMembers<Logical>());
        decoded.TsMicros.Kind.Should().Be(DateTimeKind.Utc);
        decoded.LocalMillis.Kind.Should().Be(DateTimeKind.Unspecified);
    }

    [Fact]
    public void Typed_and_generic_encodings_agree()
    {
        var schema = Schema.Parse(LogicalSchema);
        var bytes = AvroCodec.For<Logical>(schema).Encode(Sample());

        GenericDatum.Encode(schema, GenericDatum.Decode(schema, bytes)).Should().Equal(bytes);
    }

    [Fact]
    public void Enum_member_missing_for_a_symbol_fails_binding()
    {
        var schema = Schema.Parse("""{"type":"record","name":"H","fields":[{"name":"status","type":{"type":"enum","name":"S","symbols":["PLACED","RELEASED","EXPIRED"]}}]}""");

        var act = () => AvroCodec.For<StatusHolder>(schema);

        act.Should().Throw<AvroBindingException>().WithMessage("*Status*'EXPIRED'*");
    }

    public sealed record StatusHolder(Status Status);

    public sealed record NonNullable(int Value);

    [Fact]
    public void Nullable_union_requires_a_nullable_property()
    {
        var schema = Schema.Parse("""{"type":"record","name":"N","fields":[{"name":"value","type":["null","int"]}]}""");

        var act = () => AvroCodec.For<NonNullable>(schema);

        act.Should().Throw<AvroBindingException>().WithMessage("*NonNullable.Value*nullable*");
    }

    [Fact]
    public void Null_for_a_non_nullable_reference_field_fails_encoding()
    {
        var codec = AvroCodec.For<Inner>(Schema.Parse("""{"type":"record","name":"Inner","fields":[{"name":"name","type":"string"},{"name":"children","type":{"type":"array","items":"Inner"}}]}"""));

        var act = () => codec.Encode(new Inner(null!, []));

        act.Should().Throw<AvroEncodeException>();
    }

    [Fact]
    public void Typed_decoding_of_an_unknown_enum_symbol_uses_the_reader_default()
    {
        var writer = Schema.Parse("""{"type":"record","name":"H","fields":[{"name":"status","type":{"type":"enum","name":"S","symbols":["PLACED","RELEASED","EXPIRED"]}}]}""");
        var reader = Schema.Parse("""{"type":"record","name":"H","fields":[{"name":"status","type":{"type":"enum","name":"S","symbols":["PLACED","RELEASED"],"default":"PLACED"}}]}""");
        var data = GenericDatum.Encode(writer, new GenericRecord((RecordSchema)writer) { ["status"] = "EXPIRED" });

        AvroCodec.For<StatusHolder>(reader).Decode(data, writer).Status.Should().Be(Status.Placed);
    }

    public sealed class Mutable
    {
        public int Count { get; set; }

        [AvroIgnore]
        public string Cache { get; set; } = "not bound";
    }

    [Fact]
    public void Ignored_properties_are_not_bound()
    {
        var codec = AvroCodec.For<Mutable>(Schema.Parse("""{"type":"record","name":"M","fields":[{"name":"count","type":"int"}]}"""));

        codec.Decode(codec.Encode(new Mutable { Count = 3, Cache = "x" })).Should().BeEquivalentTo(new Mutable { Count = 3 });
    }

    [Fact]
    public void Schema_field_with_default_but_no_property_is_written_with_its_default()
    {
        var schema = Schema.Parse("""{"type":"record","name":"M","fields":[{"name":"count","type":"int"},{"name":"extra","type":"string","default":"d"}]}""");

        var bytes = AvroCodec.For<Mutable>(schema).Encode(new Mutable { Count = 1 });

        ((GenericRecord)GenericDatum.Decode(schema, bytes)!)["extra"].Should().Be("d");
    }

    public readonly record struct Point(int X, int Y);

    [Fact]
    public void Structs_bind_like_classes()
    {
        var codec = AvroCodec.For<Point>(Schema.Parse("""{"type":"record","name":"P","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}"""));

        codec.Decode(codec.Encode(new Point(1, -2))).Should().Be(new Point(1, -2));
    }

    [Fact]
    public void Concurrent_use_of_one_codec_is_safe()
    {
        var codec = AvroCodec.For<Logical>(Schema.Parse(LogicalSchema));
        var value = Sample();
        var expected = codec.Encode(value);

        Parallel.For(0, 2000, _ => codec.Encode(value).Should().Equal(expected));
    }
}

public class FieldAttributeTests
{
    public sealed record Renamed([AvroField("plant_code")] string Plant, long Sequence);

    [Fact]
    public void Field_attribute_on_a_positional_parameter_binds_the_property()
    {
        var codec = AvroCodec.For<Renamed>(Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"plant_code","type":"string"},{"name":"sequence","type":"long"}]}"""));

        codec.Decode(codec.Encode(new Renamed("P1", 3))).Should().Be(new Renamed("P1", 3));
    }
}
