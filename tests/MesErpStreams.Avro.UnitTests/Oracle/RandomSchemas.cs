using System.Text.Json.Nodes;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>
/// Deterministic random Avro schemas covering every type, logical type, named types with namespaces, references and
/// recursion. Unions avoid branches Apache Avro's Python writer cannot tell apart (it picks a branch by validating the
/// Python value, and e.g. a bool is also an int there).
/// </summary>
internal sealed class RandomSchemas(Random rng)
{
    private enum Kind
    {
        Null, Boolean, Int, Long, Float, Double, Bytes, String, Uuid, Date, TimeMillis, TimeMicros, TsMillis, TsMicros,
        LocalTsMillis, LocalTsMicros, DecBytes, DecFixed, Fixed, Enum, Record, Array, Map, Union, Reference,
    }

    private readonly List<(string FullName, string Namespace, Kind Kind)> named = [];
    private readonly Stack<string> openRecords = new();
    private int counter;

    public string Next()
    {
        named.Clear();
        openRecords.Clear();
        var top = rng.Next(10) < 7 ? GenRecord(0, string.Empty) : Gen(0, string.Empty, inUnion: false);
        return top.ToJsonString();
    }

    private JsonNode Gen(int depth, string ns, bool inUnion)
    {
        var kinds = Enum.GetValues<Kind>();
        while (true)
        {
            var kind = kinds[rng.Next(kinds.Length)];
            if (depth >= 4 && kind is Kind.Record or Kind.Array or Kind.Map or Kind.Union)
            {
                continue;
            }

            if ((inUnion && kind == Kind.Union) || (kind == Kind.Reference && named.Count == 0))
            {
                continue;
            }

            return Build(kind, depth, ns);
        }
    }

    private JsonNode Build(Kind kind, int depth, string ns) => kind switch
    {
        Kind.Null => "null",
        Kind.Boolean => "boolean",
        Kind.Int => rng.Next(2) == 0 ? "int" : new JsonObject { ["type"] = "int" },
        Kind.Long => "long",
        Kind.Float => "float",
        Kind.Double => "double",
        Kind.Bytes => "bytes",
        Kind.String => rng.Next(3) == 0 ? new JsonObject { ["type"] = "string", ["custom"] = "x" } : "string",
        Kind.Uuid => Logical("string", "uuid"),
        Kind.Date => Logical("int", "date"),
        Kind.TimeMillis => Logical("int", "time-millis"),
        Kind.TimeMicros => Logical("long", "time-micros"),
        Kind.TsMillis => Logical("long", "timestamp-millis"),
        Kind.TsMicros => Logical("long", "timestamp-micros"),
        Kind.LocalTsMillis => Logical("long", "local-timestamp-millis"),
        Kind.LocalTsMicros => Logical("long", "local-timestamp-micros"),
        Kind.DecBytes => DecimalBytes(),
        Kind.DecFixed => DecimalFixed(ns),
        Kind.Fixed => Named("fixed", ns, Kind.Fixed, o => o["size"] = rng.Next(0, 17)),
        Kind.Enum => Named("enum", ns, Kind.Enum, o =>
        {
            var symbols = Enumerable.Range(0, rng.Next(1, 8)).Select(i => (JsonNode)$"S{i}_{rng.Next(100)}").DistinctBy(s => s.ToString()).ToArray();
            o["symbols"] = new JsonArray(symbols);
            if (rng.Next(3) == 0)
            {
                o["default"] = symbols[rng.Next(symbols.Length)].ToString();
            }
        }),
        Kind.Record => GenRecord(depth, ns),
        Kind.Array => new JsonObject { ["type"] = "array", ["items"] = Gen(depth + 1, ns, false) },
        Kind.Map => new JsonObject { ["type"] = "map", ["values"] = Gen(depth + 1, ns, false) },
        Kind.Union => GenUnion(depth, ns),
        _ => Reference(ns),
    };

    private static JsonObject Logical(string type, string logical) => new() { ["type"] = type, ["logicalType"] = logical };

    private JsonObject DecimalBytes()
    {
        var precision = rng.Next(1, 41);
        return new JsonObject { ["type"] = "bytes", ["logicalType"] = "decimal", ["precision"] = precision, ["scale"] = rng.Next(0, precision + 1) };
    }

    private JsonObject DecimalFixed(string ns)
    {
        var size = rng.Next(1, 17);
        var max = Internal.LogicalTypes.MaxFixedPrecision(size);
        var precision = rng.Next(1, max + 1);
        var scale = rng.Next(0, precision + 1);
        return Named("fixed", ns, Kind.DecFixed, o =>
        {
            o["size"] = size;
            o["logicalType"] = "decimal";
            o["precision"] = precision;
            o["scale"] = scale;
        });
    }

    private JsonObject Named(string type, string ns, Kind kind, Action<JsonObject> fill)
    {
        var name = $"T{counter++}";
        var o = new JsonObject { ["type"] = type };
        string space;
        switch (rng.Next(4))
        {
            case 0:
                o["name"] = name;
                space = ns;
                break;
            case 1:
                space = $"ns{rng.Next(3)}.sub";
                o["name"] = name;
                o["namespace"] = space;
                break;
            case 2:
                space = $"ns{rng.Next(3)}";
                o["name"] = $"{space}.{name}";
                break;
            default:
                // A dotted name wins over the namespace attribute. (An explicit empty namespace is avoided: python3-avro
                // 1.11 treats it as "inherit" where the specification and Java mean the null namespace; a unit test covers it.)
                space = $"ns{rng.Next(3)}.x";
                o["name"] = $"{space}.{name}";
                o["namespace"] = "ignored.ns";
                break;
        }

        var fullName = space.Length == 0 ? name : $"{space}.{name}";
        if (rng.Next(4) == 0)
        {
            o["aliases"] = new JsonArray((JsonNode)$"alias.A{counter}");
            o["doc"] = "documented";
        }

        if (kind == Kind.Record)
        {
            openRecords.Push(fullName);
            fill(o);
            openRecords.Pop();
        }
        else
        {
            fill(o);
        }

        named.Add((fullName, space, kind));
        return o;
    }

    private JsonObject GenRecord(int depth, string ns) => Named("record", ns, Kind.Record, o =>
    {
        var fields = new JsonArray();
        var fullName = o["name"]!.ToString();
        var space = fullName.Contains('.') ? fullName[..fullName.LastIndexOf('.')] : o["namespace"]?.ToString() ?? ns;
        var count = rng.Next(0, depth >= 3 ? 3 : 6);
        for (var i = 0; i < count; i++)
        {
            var field = new JsonObject { ["name"] = $"f{i}" };
            // Null-namespace names are not referenced from inside a namespace: the specification resolves a dotless
            // name there against the enclosing namespace (python3-avro fails), while Java (and we) fall back to the null namespace.
            var enclosing = openRecords.Where(n => n.Contains('.') || space.Length == 0).ToList();
            if (rng.Next(8) == 0 && enclosing.Count > 0)
            {
                // Recursion: a nullable reference to an enclosing record.
                field["type"] = new JsonArray("null", enclosing[rng.Next(enclosing.Count)]);
            }
            else
            {
                field["type"] = Gen(depth + 1, space, false);
            }

            if (rng.Next(5) == 0)
            {
                field["doc"] = "field doc";
            }

            fields.Add(field);
        }

        o["fields"] = fields;
    });

    private JsonNode Reference(string ns)
    {
        var candidates = named.Where(n => n.Namespace.Length > 0 || ns.Length == 0).ToList();
        if (candidates.Count == 0)
        {
            return "string";
        }

        var (fullName, space, _) = candidates[rng.Next(candidates.Count)];
        return space == ns && space.Length > 0 && rng.Next(2) == 0 ? fullName[(space.Length + 1)..] : fullName;
    }

    private static string Group(Kind k) => k switch
    {
        Kind.Null => "null",
        Kind.Boolean or Kind.Int or Kind.Long or Kind.Float or Kind.Double or Kind.LocalTsMillis or Kind.LocalTsMicros => "num",
        Kind.Date or Kind.TsMillis or Kind.TsMicros => "date",
        Kind.TimeMillis or Kind.TimeMicros => "time",
        Kind.String or Kind.Uuid or Kind.Enum => "str",
        Kind.Bytes or Kind.Fixed => "bytes",
        Kind.DecBytes or Kind.DecFixed => "dec",
        Kind.Record or Kind.Map => "dict",
        _ => "list",
    };

    private static string? Base(Kind k) => k switch
    {
        Kind.Int or Kind.Date or Kind.TimeMillis => "int",
        Kind.Long or Kind.TimeMicros or Kind.TsMillis or Kind.TsMicros or Kind.LocalTsMillis or Kind.LocalTsMicros => "long",
        Kind.Bytes or Kind.DecBytes => "bytes",
        Kind.String or Kind.Uuid => "string",
        _ => null,
    };

    private JsonArray GenUnion(int depth, string ns)
    {
        var groups = new HashSet<string>();
        var bases = new HashSet<string>();
        var branches = new JsonArray();
        var wanted = rng.Next(1, 5);
        // uuid stays out of unions: python3-avro 1.11 validates every branch and its uuid check crashes on non-strings.
        var kinds = Enum.GetValues<Kind>().Where(k => k is not (Kind.Union or Kind.Reference or Kind.Uuid)).ToArray();
        for (var attempt = 0; attempt < 30 && branches.Count < wanted; attempt++)
        {
            var k = kinds[rng.Next(kinds.Length)];
            if (depth >= 4 && k is Kind.Record or Kind.Array or Kind.Map)
            {
                continue;
            }

            var b = Base(k) ?? k.ToString();
            if (groups.Contains(Group(k)) || bases.Contains(b))
            {
                continue;
            }

            groups.Add(Group(k));
            bases.Add(b);
            branches.Add(Build(k, depth + 1, ns));
        }

        return branches;
    }
}
