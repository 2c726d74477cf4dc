using System.Text.Json.Nodes;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>Our implementation against Apache Avro's Python implementation (python3-avro) as the oracle.</summary>
public class CrossImplementationTests
{
    private const int RandomCases = 1500;

    [Fact]
    public void Random_schemas_and_values_agree_with_Apache_Avro_both_ways()
    {
        var rng = new Random(20261122);
        var schemas = new RandomSchemas(rng);
        var values = new RandomValues(rng);
        var cases = new List<(Schema Schema, object? Value, JsonObject Case)>();
        for (var i = 0; i < RandomCases; i++)
        {
            var json = schemas.Next();
            var schema = Schema.Parse(json);
            var (value, tagged) = values.Next(schema);
            var ours = GenericDatum.Encode(schema, value);
            cases.Add((schema, value, new JsonObject { ["schema"] = json, ["value"] = tagged, ["ours"] = Convert.ToHexString(ours) }));
        }

        var results = PythonOracle.Call("roundtrip", cases.Select(c => c.Case));

        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (schema, value, c) = cases[i];
            var r = results[i];
            if (r["error"] is { } error)
            {
                failures.Add($"case {i}: {error}\n  schema: {c["schema"]}\n  value: {c["value"]?.ToJsonString()}");
                continue;
            }

            if (r["canonical"]!.GetValue<string>() != schema.ToCanonicalForm())
            {
                failures.Add($"case {i}: canonical form differs\n  ours:   {schema.ToCanonicalForm()}\n  theirs: {r["canonical"]}");
            }

            if (r["fingerprint"]!.GetValue<long>() != schema.Fingerprint64())
            {
                failures.Add($"case {i}: fingerprint differs: ours {schema.Fingerprint64()}, theirs {r["fingerprint"]}");
            }

            try
            {
                var decoded = GenericDatum.Decode(schema, Convert.FromHexString(r["theirs"]!.GetValue<string>()));
                if (!GenericDatum.ValuesEqual(decoded, value))
                {
                    failures.Add($"case {i}: we decoded Apache Avro's bytes to {GenericDatum.Format(decoded)}, expected {GenericDatum.Format(value)}\n  schema: {c["schema"]}");
                }
            }
            catch (AvroException ex)
            {
                failures.Add($"case {i}: decoding Apache Avro's bytes failed: {ex.Message}\n  schema: {c["schema"]}");
            }
        }

        failures.Should().BeEmpty("we and Apache Avro must agree on {0} random schema/value pairs", RandomCases);
        var seen = new Dictionary<string, int>();
        foreach (var (schema, _, _) in cases)
        {
            Count(schema, seen, []);
        }

        var expected = Enum.GetNames<SchemaType>().Concat(["decimal", "uuid", "date", "time-millis", "time-micros", "timestamp-millis",
            "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros", "recursion"]);
        foreach (var kind in expected)
        {
            seen.GetValueOrDefault(kind).Should().BeGreaterThan(20, "the corpus must exercise {0}", kind);
        }
    }

    private static void Count(Schema schema, Dictionary<string, int> seen, HashSet<Schema> path)
    {
        var key = schema.LogicalTypeName ?? schema.Type.ToString();
        seen[key] = seen.GetValueOrDefault(key) + 1;
        if (!path.Add(schema))
        {
            seen["recursion"] = seen.GetValueOrDefault("recursion") + 1;
            return;
        }

        var children = schema switch
        {
            RecordSchema r => r.Fields.Select(f => f.Schema),
            ArraySchema a => [a.Items],
            MapSchema m => [m.Values],
            UnionSchema u => u.Branches,
            _ => [],
        };
        foreach (var child in children)
        {
            Count(child, seen, path);
        }

        path.Remove(schema);
    }

    [Fact]
    public void Repository_schemas_agree_with_Apache_Avro()
    {
        var folder = SchemasFolder();
        var files = folder is null ? [] : Directory.GetFiles(folder, "*.avsc", SearchOption.AllDirectories);
        if (files.Length == 0)
        {
            return; // schemas/ not written yet: nothing to compare
        }

        var parsed = files.Select(f => (File: f, Json: File.ReadAllText(f))).ToList();
        var results = PythonOracle.Call("canonical", parsed.Select(p => new JsonObject { ["schema"] = p.Json }));
        var rng = new Random(7);
        var values = new RandomValues(rng);
        var roundTrips = new List<(string File, Schema Schema, object? Value, JsonObject Case)>();
        var failures = new List<string>();
        for (var i = 0; i < parsed.Count; i++)
        {
            Schema schema;
            try
            {
                schema = Schema.Parse(parsed[i].Json);
            }
            catch (AvroSchemaParseException ex)
            {
                failures.Add($"{parsed[i].File}: we cannot parse it: {ex.Message}");
                continue;
            }

            if (results[i]["error"] is { } error)
            {
                failures.Add($"{parsed[i].File}: Apache Avro cannot parse it: {error}");
                continue;
            }

            if (results[i]["canonical"]!.GetValue<string>() != schema.ToCanonicalForm() || results[i]["fingerprint"]!.GetValue<long>() != schema.Fingerprint64())
            {
                failures.Add($"{parsed[i].File}: canonical form/fingerprint differ\n  ours:   {schema.ToCanonicalForm()}\n  theirs: {results[i]["canonical"]}");
            }

            for (var k = 0; k < 20; k++)
            {
                var (value, tagged) = values.Next(schema);
                roundTrips.Add((parsed[i].File, schema, value, new JsonObject
                {
                    ["schema"] = parsed[i].Json, ["value"] = tagged, ["ours"] = Convert.ToHexString(GenericDatum.Encode(schema, value)),
                }));
            }
        }

        var rtResults = roundTrips.Count == 0 ? [] : PythonOracle.Call("roundtrip", roundTrips.Select(r => r.Case));
        for (var i = 0; i < roundTrips.Count; i++)
        {
            var (file, schema, value, _) = roundTrips[i];
            if (rtResults[i]["error"] is { } error)
            {
                failures.Add($"{file}: {error}");
                continue;
            }

            var decoded = GenericDatum.Decode(schema, Convert.FromHexString(rtResults[i]["theirs"]!.GetValue<string>()));
            if (!GenericDatum.ValuesEqual(decoded, value))
            {
                failures.Add($"{file}: we decoded Apache Avro's bytes to {GenericDatum.Format(decoded)}, expected {GenericDatum.Format(value)}");
            }
        }

        failures.Should().BeEmpty();
    }

    internal static string? SchemasFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MesErpStreams.sln")))
            {
                var schemas = Path.Combine(dir.FullName, "schemas");
                return Directory.Exists(schemas) ? schemas : null;
            }
        }

        return null;
    }
}
