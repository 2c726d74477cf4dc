using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace MesErpStreams.Avro.UnitTests.Oracle;

/// <summary>Deterministic random values of a schema, as generic values and as the oracle's tagged JSON.</summary>
internal sealed class RandomValues(Random rng)
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u0000", "é", "ß", "中", "文", "😀", "\u00ff", "\u07ff", "\uffff", "ok"];

    public (object? Value, JsonNode? Tagged) Next(Schema schema) => Gen(schema, 0);

    private (object? Value, JsonNode? Tagged) Gen(Schema s, int depth)
    {
        if (depth > 60)
        {
            // e.g. a record that contains itself without a null/array escape: valid, but no finite value exists.
            throw new NoFiniteValueException();
        }

        switch (s)
        {
            case UnionSchema u:
                var index = PickBranch(u, depth);
                var (bv, bt) = Gen(u.Branches[index], depth + 1);
                return (bv, new JsonArray(index, bt));
            case RecordSchema r:
                var rec = new GenericRecord(r);
                var obj = new JsonObject();
                foreach (var f in r.Fields)
                {
                    var (fv, ft) = Gen(f.Schema, depth + 1);
                    rec[f.Position] = fv;
                    obj[f.Name] = ft;
                }

                return (rec, obj);
            case EnumSchema e:
                var symbol = e.Symbols[rng.Next(e.Symbols.Count)];
                return (new GenericEnum(e, symbol), symbol);
            case ArraySchema a:
                var n = depth > 5 ? 0 : rng.Next(0, 4);
                var list = new List<object?>();
                var arr = new JsonArray();
                for (var i = 0; i < n; i++)
                {
                    var (iv, it) = Gen(a.Items, depth + 1);
                    list.Add(iv);
                    arr.Add(it);
                }

                return (list, arr);
            case MapSchema m:
                var count = depth > 5 ? 0 : rng.Next(0, 4);
                var map = new Dictionary<string, object?>();
                var mo = new JsonObject();
                for (var i = 0; i < count; i++)
                {
                    var key = RandomString() + i.ToString(CultureInfo.InvariantCulture);
                    var (mv, mt) = Gen(m.Values, depth + 1);
                    map[key] = mv;
                    mo[key] = mt;
                }

                return (map, mo);
            case FixedSchema f when f.LogicalTypeName is null:
                var bytes = RandomBytes(f.Size);
                return (new GenericFixed(f, bytes), Convert.ToHexString(bytes));
        }

        return Primitive(s);
    }

    private int PickBranch(UnionSchema u, int depth)
    {
        if (depth > 6)
        {
            for (var i = 0; i < u.Branches.Count; i++)
            {
                if (u.Branches[i].Type is not (SchemaType.Record or SchemaType.Array or SchemaType.Map))
                {
                    return i;
                }
            }
        }

        return rng.Next(u.Branches.Count);
    }

    private (object? Value, JsonNode? Tagged) Primitive(Schema s)
    {
        switch (s.LogicalTypeName)
        {
            case "decimal":
                return Decimal(s);
            case "uuid":
                var g = new Guid(RandomBytes(16));
                return (g, g.ToString("D"));
            case "date":
                var days = rng.Next(-719_000, 2_932_000);
                return (DateOnly.FromDayNumber(new DateOnly(1970, 1, 1).DayNumber + days), days);
            case "time-millis":
                var ms = rng.Next(0, 86_400_000);
                return (new TimeOnly(ms * TimeSpan.TicksPerMillisecond), ms);
            case "time-micros":
                var us = rng.NextInt64(0, 86_400_000_000);
                return (new TimeOnly(us * 10), us);
            case "timestamp-millis":
                var tms = rng.NextInt64(-62_000_000_000_000, 253_000_000_000_000);
                return (DateTimeOffset.UnixEpoch.AddTicks(tms * TimeSpan.TicksPerMillisecond), tms);
            case "timestamp-micros":
                var tus = rng.NextInt64(-62_000_000_000_000_000, 253_000_000_000_000_000);
                return (DateTimeOffset.UnixEpoch.AddTicks(tus * 10), tus);
            case "local-timestamp-millis":
                var lms = rng.NextInt64(-62_000_000_000_000, 253_000_000_000_000);
                return (new DateTime(DateTime.UnixEpoch.Ticks + (lms * TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified), lms);
            case "local-timestamp-micros":
                var lus = rng.NextInt64(-62_000_000_000_000_000, 253_000_000_000_000_000);
                return (new DateTime(DateTime.UnixEpoch.Ticks + (lus * 10), DateTimeKind.Unspecified), lus);
        }

        switch (s.Type)
        {
            case SchemaType.Null:
                return (null, null);
            case SchemaType.Boolean:
                var b = rng.Next(2) == 0;
                return (b, b);
            case SchemaType.Int:
                var i = rng.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => rng.Next(-100, 100), _ => rng.Next(int.MinValue, int.MaxValue) };
                return (i, i);
            case SchemaType.Long:
                var l = rng.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, 2 => rng.Next(-100, 100), _ => rng.NextInt64(long.MinValue, long.MaxValue) };
                return (l, l);
            case SchemaType.Float:
                var f = rng.Next(8) switch
                {
                    0 => float.NaN,
                    1 => float.PositiveInfinity,
                    2 => float.NegativeInfinity,
                    3 => float.Epsilon,
                    _ => BitConverter.Int32BitsToSingle(rng.Next()) is var x && float.IsFinite(x) ? x : 1.5f,
                };
                return (f, FloatTag(f));
            case SchemaType.Double:
                var d = rng.Next(8) switch
                {
                    0 => double.NaN,
                    1 => double.PositiveInfinity,
                    2 => double.MaxValue,
                    3 => -double.Epsilon,
                    _ => BitConverter.Int64BitsToDouble(rng.NextInt64()) is var x && double.IsFinite(x) ? x : -2.25,
                };
                return (d, FloatTag(d));
            case SchemaType.Bytes:
                var bytes = RandomBytes(rng.Next(0, 12));
                return (bytes, Convert.ToHexString(bytes));
            case SchemaType.String:
                var str = RandomString();
                return (str, str);
            default:
                throw new InvalidOperationException($"unexpected schema {s}");
        }
    }

    private static JsonValue FloatTag(double d) => double.IsFinite(d)
        ? JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture))!
        : JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity")!;

    private (object? Value, JsonNode? Tagged) Decimal(Schema s)
    {
        var precision = s.Precision!.Value;
        var scale = s.Scale!.Value;
        var digits = rng.Next(1, precision + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < digits; i++)
        {
            sb.Append((char)('0' + rng.Next(10)));
        }

        var unscaled = BigInteger.Parse(sb.ToString(), CultureInfo.InvariantCulture);
        if (rng.Next(2) == 0)
        {
            unscaled = -unscaled;
        }

        var tagged = new JsonObject { ["unscaled"] = unscaled.ToString(CultureInfo.InvariantCulture) };
        if (scale <= 28 && BigInteger.Abs(unscaled) < BigInteger.One << 96)
        {
            var magnitude = (UInt128)BigInteger.Abs(unscaled);
            return (new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), unscaled.Sign < 0, (byte)scale), tagged);
        }

        return (new AvroDecimal(unscaled, scale), tagged);
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private string RandomString()
    {
        var sb = new StringBuilder();
        var n = rng.Next(0, 6);
        for (var i = 0; i < n; i++)
        {
            sb.Append(Pieces[rng.Next(Pieces.Length)]);
        }

        return sb.ToString();
    }
}

internal sealed class NoFiniteValueException() : InvalidOperationException("the schema admits no finite value");
