using System.Text.Json.Nodes;
using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>Compatibility verdicts against Apache Avro's ReaderWriterCompatibilityChecker (python3-avro).</summary>
public class CompatibilityOracleTests
{
    [Fact]
    public void Compatibility_verdicts_agree_with_Apache_Avro_on_evolved_schema_pairs()
    {
        var rng = new Random(424242);
        var generator = new RandomSchemas(rng);
        var mutations = new SchemaMutations(rng);
        var pairs = new List<(string Reader, string Writer)>();
        while (pairs.Count < 800)
        {
            var original = generator.Next();
            if (JsonNode.Parse(original) is not JsonObject { } o || o["type"]?.ToString() != "record")
            {
                continue;
            }

            var evolved = mutations.Mutate(original);
            try
            {
                Schema.Parse(evolved);
            }
            catch (AvroSchemaParseException)
            {
                continue; // a mutation produced an invalid schema (e.g. duplicate field name): not a compatibility case
            }

            pairs.Add((evolved, original));
            pairs.Add((original, evolved));
        }

        var results = PythonOracle.Call("compat", pairs.Select(p => new JsonObject { ["reader"] = p.Reader, ["writer"] = p.Writer }));

        var failures = new List<string>();
        var values = new RandomValues(new Random(5));
        var incompatible = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (results[i]["error"] is { } error)
            {
                failures.Add($"pair {i}: Apache Avro failed: {error}");
                continue;
            }

            var theirs = results[i]["compatible"]!.GetValue<bool>();
            var ours = SchemaCompatibility.CanRead(Schema.Parse(pairs[i].Reader), Schema.Parse(pairs[i].Writer));
            incompatible += theirs ? 0 : 1;
            if (ours.IsCompatible)
            {
                // Compatible must mean every value the writer can produce resolves to the reader.
                var writer = Schema.Parse(pairs[i].Writer);
                var reader = Schema.Parse(pairs[i].Reader);
                for (var k = 0; k < 3; k++)
                {
                    object? value;
                    try
                    {
                        value = values.Next(writer).Value;
                    }
                    catch (NoFiniteValueException)
                    {
                        break;
                    }

                    var data = GenericDatum.Encode(writer, value);
                    try
                    {
                        GenericDatum.Decode(writer, reader, data);
                    }
                    catch (AvroException ex)
                    {
                        failures.Add($"pair {i}: judged compatible but resolving data failed: {ex.Message}\n  reader: {pairs[i].Reader}\n  writer: {pairs[i].Writer}");
                        break;
                    }
                }
            }

            if (ours.IsCompatible != theirs)
            {
                failures.Add($"pair {i}: ours {ours}, Apache Avro {(theirs ? "compatible" : "incompatible: " + results[i]["messages"]!.ToJsonString())}\n  reader: {pairs[i].Reader}\n  writer: {pairs[i].Writer}");
            }
        }

        failures.Should().BeEmpty();
        incompatible.Should().BeInRange(pairs.Count / 10, pairs.Count * 9 / 10, "the corpus must exercise both verdicts");
    }
}
