using System.Text.Json.Nodes;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>Evolves a record schema the ways people do (and the ways that break readers), for the compatibility corpus.</summary>
internal sealed class SchemaMutations(Random rng)
{
    private static readonly Func<JsonNode>[] SimpleTypes =
    [
        () => "int", () => "long", () => "float", () => "double", () => "string", () => "bytes", () => "boolean", () => "null",
        () => new JsonArray("null", "string"), () => new JsonArray("null", "int"), () => new JsonArray("int", "string"),
        () => new JsonObject { ["type"] = "array", ["items"] = "int" }, () => new JsonObject { ["type"] = "array", ["items"] = "long" },
        () => new JsonObject { ["type"] = "map", ["values"] = "string" }, () => new JsonObject { ["type"] = "map", ["values"] = "bytes" },
    ];

    public string Mutate(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var count = rng.Next(1, 3);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(root);
        }

        return root.ToJsonString();
    }

    private void MutateOnce(JsonObject record)
    {
        var fields = record["fields"]!.AsArray();
        var index = fields.Count == 0 ? -1 : rng.Next(fields.Count);
        var field = index < 0 ? null : fields[index]!.AsObject();
        switch (rng.Next(13))
        {
            case 11 when field is not null && Promoted(field["type"]!) is { } promoted:
                field["type"] = promoted;
                field.Remove("default");
                break;
            case 12 when field is not null && field["type"] is JsonArray { } branches:
                // widen or narrow a union
                if (rng.Next(2) == 0 && branches.All(b => b?.ToString() != "double"))
                {
                    branches.Add("double");
                }
                else if (branches.Count > 1)
                {
                    branches.RemoveAt(branches.Count - 1);
                }

                break;
            case 0:
                fields.Add(new JsonObject { ["name"] = $"added{rng.Next(1000)}", ["type"] = new JsonArray("null", "string"), ["default"] = null });
                break;
            case 1:
                fields.Add(new JsonObject { ["name"] = $"added{rng.Next(1000)}", ["type"] = "int" });
                break;
            case 2 when field is not null:
                fields.RemoveAt(index);
                break;
            case 3 when field is not null:
                field["type"] = SimpleTypes[rng.Next(SimpleTypes.Length)]();
                field.Remove("default");
                break;
            case 4 when field is not null && field["type"] is not JsonArray:
                field["type"] = new JsonArray("null", field["type"]!.DeepClone());
                break;
            case 5 when field is not null && field["type"] is JsonArray { Count: 2 } union:
                field["type"] = union[rng.Next(2)]!.DeepClone();
                field.Remove("default");
                break;
            case 6 when field is not null:
                var old = field["name"]!.ToString();
                field["name"] = old + "Renamed";
                if (rng.Next(2) == 0)
                {
                    field["aliases"] = new JsonArray((JsonNode)old);
                }

                break;
            case 7:
                var name = record["name"]!.ToString();
                record["name"] = name + "X";
                if (rng.Next(2) == 0)
                {
                    var space = name.Contains('.') ? string.Empty : record["namespace"]?.ToString() ?? string.Empty;
                    record["aliases"] = new JsonArray((JsonNode)(space.Length == 0 ? name : $"{space}.{name}"));
                }

                break;
            case 8 when field is not null && field["type"] is JsonObject { } t && t["type"]?.ToString() == "enum":
                var symbols = t["symbols"]!.AsArray();
                if (rng.Next(2) == 0 || symbols.Count == 1)
                {
                    symbols.Add($"NEW{rng.Next(100)}");
                }
                else
                {
                    var removed = symbols[rng.Next(symbols.Count)]!.ToString();
                    symbols.Remove(symbols.First(s => s!.ToString() == removed));
                    if (t["default"]?.ToString() == removed)
                    {
                        t.Remove("default");
                    }
                }

                break;
            case 9 when field is not null && field["type"] is JsonObject { } f && f["type"]?.ToString() == "fixed" && f["logicalType"] is null:
                f["size"] = f["size"]!.GetValue<int>() + 1;
                break;
            case 10 when field is not null:
                field["default"] = DefaultFor(field["type"]!);
                if (field["default"] is JsonValue v && v.ToString() == "__none__")
                {
                    field.Remove("default");
                }

                break;
            default:
                fields.Add(new JsonObject { ["name"] = $"added{rng.Next(1000)}", ["type"] = "long", ["default"] = 7 });
                break;
        }
    }

    private JsonNode? Promoted(JsonNode type)
    {
        string[] targets = type.ToString() switch
        {
            "int" => ["long", "float", "double"],
            "long" => ["float", "double"],
            "float" => ["double"],
            "string" => ["bytes"],
            "bytes" => ["string"],
            _ => [],
        };
        return targets.Length == 0 ? null : targets[rng.Next(targets.Length)];
    }

    private static JsonNode? DefaultFor(JsonNode type) => type switch
    {
        JsonValue v when v.ToString() == "int" || v.ToString() == "long" => 0,
        JsonValue v when v.ToString() == "string" => "",
        JsonValue v when v.ToString() == "boolean" => false,
        JsonValue v when v.ToString() == "null" => null,
        JsonArray a when a[0] is JsonValue first && first.ToString() == "null" => null,
        JsonObject o when o["type"]?.ToString() == "array" => new JsonArray(),
        JsonObject o when o["type"]?.ToString() == "map" => new JsonObject(),
        JsonObject o when o["type"]?.ToString() == "enum" => o["symbols"]![0]!.ToString(),
        _ => "__none__",
    };
}
