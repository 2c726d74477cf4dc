using FsCheck;
using FsCheck.Fluent;

namespace MesErpStreams.Avro.UnitTests;

/// <summary>Property-based round trips (FsCheck, driven from plain facts).</summary>
public class PropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    public sealed record Event(string Plant, long Sequence, int Count, double Ratio, float Weight, bool Final, decimal Quantity,
        string? Batch, long? Optional, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, long> Counters, byte[] Payload);

    private const string EventSchema = """
        {"type":"record","name":"Event","fields":[
          {"name":"plant","type":"string"},{"name":"sequence","type":"long"},{"name":"count","type":"int"},
          {"name":"ratio","type":"double"},{"name":"weight","type":"float"},{"name":"final","type":"boolean"},
          {"name":"quantity","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
          {"name":"batch","type":["null","string"],"default":null},{"name":"optional","type":["null","long"],"default":null},
          {"name":"tags","type":{"type":"array","items":"string"}},{"name":"counters","type":{"type":"map","values":"long"}},
          {"name":"payload","type":"bytes"}]}
        """;

    private static Gen<string> Strings() => ArbMap.Default.GeneratorFor<string>().Select(s => s is null ? string.Empty : RemoveLoneSurrogates(s));

    private static string RemoveLoneSurrogates(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var pair = char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]);
            if (pair)
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private static Gen<decimal> Quantities() =>
        from units in Gen.Choose(-999_999, 999_999)
        from millions in Gen.Choose(0, 999_999)
        from micros in Gen.Choose(0, 999_999)
        select ((units * 1_000_000m) + millions) + (micros / 1_000_000m);

    private static Gen<Event> Events() =>
        from plant in Strings()
        from sequence in ArbMap.Default.GeneratorFor<long>()
        from count in ArbMap.Default.GeneratorFor<int>()
        from ratio in ArbMap.Default.GeneratorFor<double>()
        from weight in ArbMap.Default.GeneratorFor<float>()
        from final in ArbMap.Default.GeneratorFor<bool>()
        from quantity in Quantities()
        from batch in Gen.OrNull(Strings())
        from optional in ArbMap.Default.GeneratorFor<long?>()
        from tags in Gen.ListOf(Strings())
        from keys in Gen.ListOf(Strings())
        from payload in ArbMap.Default.GeneratorFor<byte[]>()
        select new Event(plant, sequence, count, ratio, weight, final, quantity, batch, optional, tags.ToList(),
            keys.Distinct().Select((k, i) => (k, (long)i * sequence)).ToDictionary(p => p.k, p => p.Item2), payload ?? []);

    [Fact]
    public void Typed_records_round_trip()
    {
        var codec = AvroCodec.For<Event>(Schema.Parse(EventSchema));

        Check.One(Config, Prop.ForAll(Events().ToArbitrary(), e =>
        {
            var decoded = codec.Decode(codec.Encode(e));
            decoded.Should().BeEquivalentTo(e);
        }));
    }

    [Fact]
    public void Typed_and_generic_encodings_of_the_same_record_are_identical()
    {
        var schema = Schema.Parse(EventSchema);
        var codec = AvroCodec.For<Event>(schema);

        Check.One(Config, Prop.ForAll(Events().ToArbitrary(), e =>
        {
            var bytes = codec.Encode(e);
            GenericDatum.Encode(schema, GenericDatum.Decode(schema, bytes)).Should().Equal(bytes);
        }));
    }

    [Fact]
    public void Longs_and_ints_round_trip_through_varints()
    {
        var longs = AvroCodec.For<long>(Schema.Parse("\"long\""));
        var ints = AvroCodec.For<int>(Schema.Parse("\"int\""));

        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<long>(), v => longs.Decode(longs.Encode(v)) == v && longs.Encode(v).Length <= 10));
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<int>(), v => ints.Decode(ints.Encode(v)) == v && ints.Encode(v).Length <= 5));
    }

    [Fact]
    public void Decimals_round_trip_at_any_scale_that_holds_them()
    {
        var schemas = Enumerable.Range(0, 11).Select(scale => AvroCodec.For<decimal>(Schema.Parse(
            $$"""{"type":"bytes","logicalType":"decimal","precision":38,"scale":{{scale}}}"""))).ToArray();

        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<decimal>(), Gen.Choose(0, 10).ToArbitrary(), (value, scale) =>
        {
            var rounded = Math.Round(value, scale);
            schemas[scale].Decode(schemas[scale].Encode(rounded)).Should().Be(rounded);
        }));
    }

    [Fact]
    public void Any_value_of_a_random_schema_round_trips_generically()
    {
        Check.One(Config.WithMaxTest(200), Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rng = new Random(seed);
            var schema = Schema.Parse(new Oracle.RandomSchemas(rng).Next());
            var (value, _) = new Oracle.RandomValues(rng).Next(schema);
            GenericDatum.ValuesEqual(GenericDatum.Decode(schema, GenericDatum.Encode(schema, value)), value).Should().BeTrue();
            Schema.Parse(schema.ToJson()).ToCanonicalForm().Should().Be(schema.ToCanonicalForm());
        }));
    }

    [Fact]
    public void Truncating_valid_data_always_raises_a_decode_exception()
    {
        var codec = AvroCodec.For<Event>(Schema.Parse(EventSchema));

        Check.One(Config, Prop.ForAll(Events().ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (e, cut) =>
        {
            var bytes = codec.Encode(e);
            var length = cut % bytes.Length;
            var act = () => codec.Decode(bytes.AsSpan(0, length).ToArray());
            act.Should().Throw<AvroDecodeException>();
        }));
    }
}
