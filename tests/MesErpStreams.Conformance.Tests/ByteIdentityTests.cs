using MesErpStreams.Avro;
using MesErpStreams.Avro.UnitTests.Oracle;
using MesErpStreams.Contracts;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// Apache.Avro 1.12.2 writes the same bytes as our codec. For every schema in <c>schemas/</c>: random data written by
/// Apache's generic writer, read by Apache's specific reader into the classes Avro.CodeGen generates (compiled with
/// Roslyn at test time) and written again by its <c>SpecificDatumWriter</c>, decoded and re-encoded by our generic
/// codec and by the compiled typed codec of the C# contract record: all four byte strings are equal. For a generated
/// corpus of random schemas (every type and logical type, named types, recursion) Apache's generic writer is the
/// reference, because CodeGen output for arbitrary schemas (null namespaces, recursive unions) is not practical to compile.
/// </summary>
public sealed class ByteIdentityTests
{
    private const int ValuesPerSchemaFile = 300;
    private const int CorpusSchemas = 400;
    private const int ValuesPerCorpusSchema = 3;

    public static TheoryData<string> SchemaFiles() => new(ContractSchemas.Files);

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Apache_specific_writer_apache_generic_writer_and_our_codecs_write_identical_bytes(string file)
    {
        var apacheSchema = global::Avro.Schema.Parse(ContractSchemas.GetJson(file));
        var ours = ContractSchemas.Get(file);
        var fullName = ((NamedSchema)ours).FullName;
        var specificType = ApacheSpecificTypes.For(fullName);
        var typed = ContractCodecs.RoundTrip(fullName);
        if (ours is RecordSchema)
        {
            typed.Should().NotBeNull($"every record schema has a contract record ({fullName})");
        }

        var data = new ApacheRandomData(new Random(StableSeed(file)));
        for (var i = 0; i < ValuesPerSchemaFile; i++)
        {
            var datum = data.Next(apacheSchema);
            var apacheGeneric = ApacheCodec.WriteGeneric(apacheSchema, datum);

            var ourGeneric = GenericDatum.Encode(ours, GenericDatum.Decode(ours, apacheGeneric));
            Hex(ourGeneric).Should().Be(Hex(apacheGeneric), $"{file} value {i}: our generic codec vs Apache");
            if (typed is not null)
            {
                Hex(typed(apacheGeneric)).Should().Be(Hex(apacheGeneric), $"{file} value {i}: our typed codec vs Apache");
            }

            if (ours is not RecordSchema)
            {
                // A bare enum (ErpCommandType.avsc) is read by Apache's specific reader as its ordinal, which its
                // specific writer does not take back; the enum is compared where it is used, inside ErpPostingCommand.
                continue;
            }

            var specific = ApacheCodec.ReadSpecific(apacheSchema, apacheGeneric);
            specific.GetType().Should().Be(specificType, "Apache's specific reader builds the generated class");
            var apacheSpecific = ApacheCodec.WriteSpecific(apacheSchema, specific);
            Hex(apacheSpecific).Should().Be(Hex(apacheGeneric), $"{file} value {i}: Apache specific vs generic");
        }
    }

    [Fact]
    public void A_generated_corpus_of_schemas_and_values_encodes_identically_with_Apache_generic_writer()
    {
        var rng = new Random(20261205);
        var schemas = new RandomSchemas(rng);
        var data = new ApacheRandomData(rng);
        var compared = 0;
        var zeroSizeFixed = 0;
        for (var s = 0; s < CorpusSchemas; s++)
        {
            var json = schemas.Next();
            var ours = Schema.Parse(json);
            global::Avro.Schema apacheSchema;
            try
            {
                apacheSchema = global::Avro.Schema.Parse(json);
            }
            catch (global::Avro.SchemaParseException e) when (e.InnerException is ArgumentOutOfRangeException { ParamName: "size" })
            {
                // Apache.Avro (C#) refuses fixed of size 0, which the specification, Java and python3-avro accept.
                zeroSizeFixed++;
                continue;
            }

            for (var v = 0; v < ValuesPerCorpusSchema; v++)
            {
                var datum = data.Next(apacheSchema);
                var apache = ApacheCodec.WriteGeneric(apacheSchema, datum);
                var decoded = GenericDatum.Decode(ours, apache);
                Hex(GenericDatum.Encode(ours, decoded)).Should().Be(Hex(apache), $"schema {json}");
                Hex(ApacheCodec.WriteGeneric(apacheSchema, ApacheCodec.ReadGeneric(apacheSchema, GenericDatum.Encode(ours, decoded))))
                    .Should().Be(Hex(apache), $"Apache reads our bytes back to the same value; schema {json}");
                compared++;
            }
        }

        compared.Should().Be((CorpusSchemas - zeroSizeFixed) * ValuesPerCorpusSchema);
        zeroSizeFixed.Should().BeLessThan(CorpusSchemas / 4, "most of the corpus is compared");
    }

    [Fact]
    public void A_differing_byte_is_detected()
    {
        // Guards the comparison: the same datum with one field changed must not compare equal.
        var file = "mes/ProductionConfirmation.avsc";
        var apacheSchema = global::Avro.Schema.Parse(ContractSchemas.GetJson(file));
        var datum = (global::Avro.Generic.GenericRecord)new ApacheRandomData(new Random(1)).Next(apacheSchema)!;
        var before = ApacheCodec.WriteGeneric(apacheSchema, datum);
        datum.Add("plant", datum["plant"] + "x");
        Hex(ApacheCodec.WriteGeneric(apacheSchema, datum)).Should().NotBe(Hex(before));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private static int StableSeed(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
