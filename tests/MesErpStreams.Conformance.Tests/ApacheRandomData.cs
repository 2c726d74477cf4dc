using System.Numerics;
using Avro;
using Avro.Generic;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// Deterministic random values of an Apache.Avro schema, in the shapes Apache's generic writer takes: GenericRecord,
/// GenericEnum, GenericFixed, object[] for arrays, dictionaries for maps, and the logical values of its logical types
/// (AvroDecimal at the schema's scale and within its precision, Guid, UTC DateTime at the type's precision).
/// </summary>
internal sealed class ApacheRandomData(Random rng)
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "é", "ß", "中", "😀", "\u07ff", "ok", "PC", "1000"];

    public object? Next(Schema schema, int depth = 0) => schema switch
    {
        UnionSchema u => Next(u.Schemas[PickBranch(u, depth)], depth + 1),
        RecordSchema r => Record(r, depth),
        EnumSchema e => new GenericEnum(e, e.Symbols[rng.Next(e.Symbols.Count)]),
        ArraySchema a => Enumerable.Range(0, depth > 4 ? 0 : rng.Next(4)).Select(_ => Next(a.ItemSchema, depth + 1)).ToArray(),
        MapSchema m => Enumerable.Range(0, depth > 4 ? 0 : rng.Next(4)).ToDictionary(i => $"k{i}{String(3)}", _ => Next(m.ValueSchema, depth + 1)),
        FixedSchema f when f.GetProperty("precision") is { } precision => new GenericFixed(f, DecimalFixed(f, precision)),
        FixedSchema f => new GenericFixed(f, Bytes(f.Size)),
        LogicalSchema l => Logical(l),
        PrimitiveSchema p => Primitive(p.Tag),
        _ => throw new NotSupportedException($"no random value for {schema}"),
    };

    private GenericRecord Record(RecordSchema r, int depth)
    {
        var record = new GenericRecord(r);
        foreach (var field in r.Fields)
        {
            record.Add(field.Name, Next(field.Schema, depth + 1));
        }

        return record;
    }

    /// <summary>
    /// A branch to generate for. Apache's generic writer picks the first branch whose kind of value matches (every
    /// decimal branch takes an AvroDecimal, every timestamp and date branch a DateTime), so a value is only generated
    /// for the first branch of its kind: one generated for a later one would be written under another branch's
    /// scale or precision, which is not a valid datum of the union.
    /// </summary>
    private int PickBranch(UnionSchema u, int depth)
    {
        var branches = u.Schemas.ToList();
        var nullIndex = branches.FindIndex(s => s.Tag == Schema.Type.Null);
        var pick = depth > 6 && nullIndex >= 0 ? nullIndex : rng.Next(branches.Count);
        return branches.FindIndex(b => ValueKind(b) == ValueKind(branches[pick]));
    }

    private static string ValueKind(Schema s) => s switch
    {
        LogicalSchema { LogicalTypeName: "decimal" } => "AvroDecimal",
        LogicalSchema { LogicalTypeName: "time-millis" or "time-micros" } => "TimeSpan",
        LogicalSchema { LogicalTypeName: "uuid" } => "Guid",
        LogicalSchema => "DateTime",
        NamedSchema n => s.Tag + ":" + n.Fullname,
        _ => s.Tag.ToString(),
    };

    private object? Logical(LogicalSchema l) => l.LogicalTypeName switch
    {
        "decimal" => Decimal(int.Parse(l.GetProperty("precision"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(l.GetProperty("scale") ?? "0", System.Globalization.CultureInfo.InvariantCulture)),
        "uuid" => new Guid(Bytes(16)),
        "timestamp-millis" => DateTime.UnixEpoch.AddMilliseconds(rng.NextInt64(-2_000_000_000_000, 4_000_000_000_000)),
        "timestamp-micros" => DateTime.UnixEpoch.AddTicks(rng.NextInt64(-2_000_000_000_000, 4_000_000_000_000) * 10),
        "local-timestamp-millis" => DateTime.UnixEpoch.AddMilliseconds(rng.NextInt64(-2_000_000_000_000, 4_000_000_000_000)),
        "local-timestamp-micros" => DateTime.UnixEpoch.AddTicks(rng.NextInt64(-2_000_000_000_000, 4_000_000_000_000) * 10),
        "date" => DateTime.UnixEpoch.Date.AddDays(rng.Next(-20_000, 40_000)),
        "time-millis" => TimeSpan.FromMilliseconds(rng.Next(0, 86_400_000)),
        "time-micros" => TimeSpan.FromTicks(rng.NextInt64(0, 86_400_000_000) * 10),
        _ => throw new NotSupportedException($"no random value for logical type {l.LogicalTypeName}"),
    };

    /// <summary>
    /// The bytes of a decimal in a named fixed reached by reference: Apache.Avro (C#) drops the decimal logical type on
    /// references to a named fixed and hands out the plain FixedSchema, while the specification (and Java, and our
    /// library) keep it; random bytes would be a decimal beyond its precision. So the value is a valid decimal of the
    /// fixed's precision, as big-endian two's complement of the fixed's size.
    /// </summary>
    private byte[] DecimalFixed(FixedSchema f, string precision)
    {
        var unscaled = Decimal(int.Parse(precision, System.Globalization.CultureInfo.InvariantCulture), 0).UnscaledValue;
        var minimal = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        var bytes = Enumerable.Repeat(unscaled.Sign < 0 ? (byte)0xFF : (byte)0, f.Size - minimal.Length).Concat(minimal).ToArray();
        return bytes;
    }

    private AvroDecimal Decimal(int precision, int scale)
    {
        var digits = rng.Next(1, precision + 1);
        var unscaled = BigInteger.Zero;
        for (var i = 0; i < digits; i++)
        {
            unscaled = (unscaled * 10) + rng.Next(10);
        }

        return new AvroDecimal(rng.Next(4) == 0 ? -unscaled : unscaled, scale);
    }

    private object? Primitive(Schema.Type tag) => tag switch
    {
        Schema.Type.Null => null,
        Schema.Type.Boolean => rng.Next(2) == 0,
        Schema.Type.Int => rng.Next(4) == 0 ? int.MinValue + rng.Next(3) : rng.Next(int.MinValue, int.MaxValue),
        Schema.Type.Long => rng.NextInt64(long.MinValue, long.MaxValue),
        Schema.Type.Float => (float)(rng.NextDouble() * 1e6 - 5e5),
        Schema.Type.Double => rng.NextDouble() * 1e12 - 5e11,
        Schema.Type.Bytes => Bytes(rng.Next(0, 40)),
        Schema.Type.String => String(rng.Next(0, 12)),
        _ => throw new NotSupportedException($"no random value for {tag}"),
    };

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    private string String(int pieces) => string.Concat(Enumerable.Range(0, pieces).Select(_ => Pieces[rng.Next(Pieces.Length)]));
}
