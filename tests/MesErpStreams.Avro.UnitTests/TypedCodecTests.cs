using System.Buffers;

namespace MesErpStreams.Avro.UnitTests;

public class TypedCodecTests
{
    internal const string ConfirmationSchema = """
    {
      "type": "record", "name": "ProductionConfirmation", "namespace": "com.example.mes",
      "fields": [
        {"name": "eventId", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "plant", "type": "string"},
        {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "sequence", "type": "long"},
        {"name": "yieldQuantity", "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 6}},
        {"name": "unit", "type": {"type": "enum", "name": "Unit", "symbols": ["EA", "KG", "UNKNOWN"], "default": "UNKNOWN"}},
        {"name": "finalConfirmation", "type": "boolean"},
        {"name": "batch", "type": ["null", "string"], "default": null},
        {"name": "shiftDate", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
        {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
        {"name": "trace", "type": {"type": "map", "values": "string"}, "default": {}}
      ]
    }
    """;

    public enum Unit
    {
        EA,
        KG,
        UNKNOWN,
    }

    public sealed record Confirmation(
        Guid EventId,
        string Plant,
        DateTimeOffset OccurredAt,
        long Sequence,
        decimal YieldQuantity,
        Unit Unit,
        bool FinalConfirmation,
        string? Batch,
        DateOnly? ShiftDate,
        IReadOnlyList<string> Tags,
        IReadOnlyDictionary<string, string> Trace);

    internal static Confirmation Sample() => new(
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "P100", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), 42, 12.5m,
        Unit.KG, true, "B-7", new DateOnly(2024, 2, 29), ["a", "b"], new Dictionary<string, string> { ["traceparent"] = "00-abc" });

    [Fact]
    public void Positional_record_round_trips_through_compiled_codec()
    {
        var codec = AvroCodec.For<Confirmation>(Schema.Parse(ConfirmationSchema));
        var value = Sample();

        var decoded = codec.Decode(codec.Encode(value));

        decoded.Should().BeEquivalentTo(value);
    }

    [Fact]
    public void Typed_encoding_equals_generic_encoding_of_the_same_value()
    {
        var schema = Schema.Parse(ConfirmationSchema);
        var bytes = AvroCodec.For<Confirmation>(schema).Encode(Sample());

        var generic = (GenericRecord)GenericDatum.Decode(schema, bytes)!;

        generic["plant"].Should().Be("P100");
        generic["yieldQuantity"].Should().Be(12.5m);
        generic["eventId"].Should().Be(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        generic["unit"].Should().Be(new GenericEnum((EnumSchema)((RecordSchema)schema).GetField("unit")!.Schema, "KG"));
        GenericDatum.Encode(schema, generic).Should().Equal(bytes);
    }

    [Fact]
    public void Codec_is_cached_per_type_and_schema()
    {
        AvroCodec.For<Confirmation>(Schema.Parse(ConfirmationSchema)).Should().BeSameAs(AvroCodec.For<Confirmation>(Schema.Parse(ConfirmationSchema)));
    }

    [Fact]
    public void Encode_to_buffer_writer_appends_the_same_bytes()
    {
        var codec = AvroCodec.For<Confirmation>(Schema.Parse(ConfirmationSchema));
        var buffer = new ArrayBufferWriter<byte>(4);
        codec.Encode(Sample(), buffer);
        codec.Encode(Sample(), buffer);

        var single = codec.Encode(Sample());
        buffer.WrittenSpan.ToArray().Should().Equal([.. single, .. single]);
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_allocates_nothing_per_record()
    {
        var codec = AvroCodec.For<Confirmation>(Schema.Parse(ConfirmationSchema));
        var value = Sample();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        codec.Encode(value, buffer);
        buffer.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            codec.Encode(value, buffer);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1000, "the compiled encoder must not allocate per record");
    }

    public sealed class Settable
    {
        public string Plant { get; set; } = "";

        [AvroField("sequence")]
        public long Seq { get; init; }
    }

    [Fact]
    public void Settable_properties_and_field_attribute_bind()
    {
        var schema = Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"plant","type":"string"},{"name":"sequence","type":"long"}]}""");
        var codec = AvroCodec.For<Settable>(schema);

        var decoded = codec.Decode(codec.Encode(new Settable { Plant = "X", Seq = -5 }));

        decoded.Plant.Should().Be("X");
        decoded.Seq.Should().Be(-5);
    }

    public sealed record Missing(string Plant);

    [Fact]
    public void Schema_field_without_property_or_default_fails_binding_naming_type_and_field()
    {
        var schema = Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"plant","type":"string"},{"name":"quantity","type":"long"}]}""");

        var act = () => AvroCodec.For<Missing>(schema);

        act.Should().Throw<AvroBindingException>().WithMessage("*Missing*quantity*");
    }

    public sealed record Extra(string Plant, long Quantity);

    [Fact]
    public void Property_without_schema_field_fails_binding_naming_the_property()
    {
        var schema = Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"plant","type":"string"}]}""");

        var act = () => AvroCodec.For<Extra>(schema);

        act.Should().Throw<AvroBindingException>().WithMessage("*Extra*Quantity*");
    }

    public sealed record WrongType(int Plant);

    [Fact]
    public void Property_type_mismatch_fails_binding_naming_property_and_field()
    {
        var schema = Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"plant","type":"string"}]}""");

        var act = () => AvroCodec.For<WrongType>(schema);

        act.Should().Throw<AvroBindingException>().WithMessage("*WrongType.Plant*plant*");
    }

    public sealed record Amount(decimal Value);

    [Fact]
    public void Decimal_with_more_scale_than_schema_throws_instead_of_rounding()
    {
        var schema = Schema.Parse("""{"type":"record","name":"A","fields":[{"name":"value","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}]}""");
        var codec = AvroCodec.For<Amount>(schema);

        codec.Decode(codec.Encode(new Amount(1.50m))).Value.Should().Be(1.5m);
        var act = () => codec.Encode(new Amount(1.505m));
        act.Should().Throw<AvroEncodeException>().WithMessage("*scale*");
        var tooBig = () => codec.Encode(new Amount(12345678.9m));
        tooBig.Should().Throw<AvroEncodeException>().WithMessage("*precision*");
    }

    public sealed record V1(string Plant, int Count);

    public sealed record V2(string Plant, long Count, string Note, Unit Unit);

    [Fact]
    public void Decode_with_writer_schema_resolves_promotions_and_defaults()
    {
        var writer = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"count","type":"int"},{"name":"drop","type":"string"},{"name":"plant","type":"string"}]}""");
        var reader = Schema.Parse("""
            {"type":"record","name":"R","fields":[{"name":"plant","type":"string"},{"name":"count","type":"long"},
             {"name":"note","type":"string","default":"none"},
             {"name":"unit","type":{"type":"enum","name":"Unit","symbols":["EA","KG","UNKNOWN"]},"default":"EA"}]}
            """);
        var data = GenericDatum.Encode(writer, new GenericRecord((RecordSchema)writer) { ["count"] = 7, ["drop"] = "x", ["plant"] = "P" });

        var value = AvroCodec.For<V2>(reader).Decode(data, writer);

        value.Should().Be(new V2("P", 7, "none", Unit.EA));
    }
}

public class GenericCodecTests
{
    [Fact]
    public void Codec_of_GenericRecord_encodes_and_resolves_generically()
    {
        var writer = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
        var reader = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}""");
        var codec = AvroCodec.For<GenericRecord>(reader);

        var decoded = codec.Decode(AvroCodec.For<GenericRecord>(writer).Encode(new GenericRecord((RecordSchema)writer) { ["a"] = 4 }), writer);

        decoded["a"].Should().Be(4L);
        decoded["b"].Should().Be("x");
        codec.Decode(codec.Encode(decoded)).Should().Be(decoded);
    }
}
