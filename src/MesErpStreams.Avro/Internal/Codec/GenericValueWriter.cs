using System.Collections;
using System.Globalization;
using System.Numerics;

namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Encodes generic values (see <see cref="GenericDatum"/>) by walking the schema; union branches chosen by the value's type.</summary>
internal sealed class GenericValueWriter(Schema schema) : ValueWriter<object?>
{
    public override void Write(ref AvroWriter w, object? value) => WriteValue(ref w, schema, value, "$", 0);

    private static AvroEncodeException Wrong(Schema s, object? v, string path) =>
        new($"{path}: {(v is null ? "null" : v.GetType().Name + " " + Convert.ToString(v, CultureInfo.InvariantCulture))} is not a valid {SchemaInfo.Describe(s)}");

    public static void WriteValue(ref AvroWriter w, Schema s, object? v, string path, int depth)
    {
        if (depth > AvroReader.MaxDepth)
        {
            throw new AvroEncodeException($"{path}: value nests deeper than {AvroReader.MaxDepth} levels");
        }

        switch (s)
        {
            case UnionSchema u:
                var index = SelectBranch(u, v);
                if (index < 0)
                {
                    throw Wrong(s, v, path);
                }

                w.WriteInt(index);
                WriteValue(ref w, u.Branches[index], v, path, depth);
                return;
            case RecordSchema r:
                if (v is not GenericRecord rec)
                {
                    throw Wrong(s, v, path);
                }

                foreach (var f in r.Fields)
                {
                    if (rec.Schema.GetField(f.Name) is { } own)
                    {
                        WriteValue(ref w, f.Schema, rec[own.Position], path + "." + f.Name, depth + 1);
                    }
                    else if (f.DefaultJson is not null)
                    {
                        w.WriteFixed(DefaultValueEncoder.Encode(f.Schema, f.DefaultJson));
                    }
                    else
                    {
                        throw new AvroEncodeException($"{path}: record lacks field '{f.Name}', which has no default");
                    }
                }

                return;
            case EnumSchema e:
                var symbol = v switch { GenericEnum ge => ge.Symbol, string str => str, _ => null };
                var symbolIndex = symbol is null ? -1 : e.IndexOf(symbol);
                if (symbolIndex < 0)
                {
                    throw Wrong(s, v, path);
                }

                w.WriteInt(symbolIndex);
                return;
            case ArraySchema a:
                if (v is not IEnumerable items || v is string || v is byte[] || v is IDictionary)
                {
                    throw Wrong(s, v, path);
                }

                var list = items as ICollection ?? items.Cast<object?>().ToList();
                if (list.Count > 0)
                {
                    w.WriteLong(list.Count);
                    var k = 0;
                    foreach (var item in list)
                    {
                        WriteValue(ref w, a.Items, item, $"{path}[{k++}]", depth + 1);
                    }
                }

                w.WriteLong(0);
                return;
            case MapSchema m:
                var entries = MapEntries(v) ?? throw Wrong(s, v, path);
                if (entries.Count > 0)
                {
                    w.WriteLong(entries.Count);
                    foreach (var (key, item) in entries)
                    {
                        w.WriteString(key);
                        WriteValue(ref w, m.Values, item, $"{path}.{key}", depth + 1);
                    }
                }

                w.WriteLong(0);
                return;
        }

        if (!TryWritePrimitive(ref w, s, v))
        {
            throw Wrong(s, v, path);
        }
    }

    private static List<KeyValuePair<string, object?>>? MapEntries(object? v) => v switch
    {
        IEnumerable<KeyValuePair<string, object?>> typed => typed.ToList(),
        IDictionary dictionary => Entries(dictionary),
        _ => null,
    };

    private static List<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        var list = new List<KeyValuePair<string, object?>>(dictionary.Count);
        var e = dictionary.GetEnumerator();
        while (e.MoveNext())
        {
            list.Add(new KeyValuePair<string, object?>(e.Key as string ?? throw new AvroEncodeException("Map keys must be strings"), e.Value));
        }

        return list;
    }

    private static bool TryWritePrimitive(ref AvroWriter w, Schema s, object? v)
    {
        switch (s.LogicalTypeName, v)
        {
            case (LogicalTypes.Decimal, decimal d):
                new WriterBuilder.DecimalWriter(s is FixedSchema fs ? fs.Size : -1, s.Scale ?? 0, s.Precision ?? 0).Write(ref w, d);
                return true;
            case (LogicalTypes.Decimal, AvroDecimal ad):
                var unscaled = ad.Scale <= (s.Scale ?? 0)
                    ? ad.Unscaled * BigInteger.Pow(10, (s.Scale ?? 0) - ad.Scale)
                    : throw new AvroEncodeException($"Decimal {ad} has more fractional digits than the schema's scale {s.Scale}");
                if (s is FixedSchema fixedSchema)
                {
                    w.WriteFixed(DecimalCodec.ToFixed(unscaled, fixedSchema.Size));
                }
                else
                {
                    w.WriteBytes(unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
                }

                return true;
            case (LogicalTypes.Uuid, Guid g):
                w.WriteString(g.ToString("D"));
                return true;
            case (LogicalTypes.Date, DateOnly d):
                w.WriteInt(Temporal.FromDate(d));
                return true;
            case (LogicalTypes.TimeMillis, TimeOnly t):
                w.WriteInt(Temporal.FromTimeMillis(t));
                return true;
            case (LogicalTypes.TimeMicros, TimeOnly t):
                w.WriteLong(Temporal.FromTimeMicros(t));
                return true;
            case (LogicalTypes.TimestampMillis, DateTimeOffset t):
                w.WriteLong(Temporal.FromTimestamp(t, TimeSpan.TicksPerMillisecond));
                return true;
            case (LogicalTypes.TimestampMicros, DateTimeOffset t):
                w.WriteLong(Temporal.FromTimestamp(t, 10));
                return true;
            case (LogicalTypes.TimestampMillis, DateTime t):
                w.WriteLong(Temporal.FromUtcDateTime(t, TimeSpan.TicksPerMillisecond));
                return true;
            case (LogicalTypes.TimestampMicros, DateTime t):
                w.WriteLong(Temporal.FromUtcDateTime(t, 10));
                return true;
            case (LogicalTypes.LocalTimestampMillis, DateTime t):
                w.WriteLong(Temporal.FromLocalDateTime(t, TimeSpan.TicksPerMillisecond));
                return true;
            case (LogicalTypes.LocalTimestampMicros, DateTime t):
                w.WriteLong(Temporal.FromLocalDateTime(t, 10));
                return true;
        }

        switch (s.Type, v)
        {
            case (SchemaType.Null, null):
                return true;
            case (SchemaType.Boolean, bool b):
                w.WriteBoolean(b);
                return true;
            case (SchemaType.Int, int i):
                w.WriteInt(i);
                return true;
            case (SchemaType.Int, long l) when l is >= int.MinValue and <= int.MaxValue:
                w.WriteInt((int)l);
                return true;
            case (SchemaType.Long, long l):
                w.WriteLong(l);
                return true;
            case (SchemaType.Long, int i):
                w.WriteLong(i);
                return true;
            case (SchemaType.Float, float f):
                w.WriteFloat(f);
                return true;
            case (SchemaType.Float, int or long):
                w.WriteFloat(Convert.ToSingle(v, CultureInfo.InvariantCulture));
                return true;
            case (SchemaType.Double, double d):
                w.WriteDouble(d);
                return true;
            case (SchemaType.Double, float or int or long):
                w.WriteDouble(Convert.ToDouble(v, CultureInfo.InvariantCulture));
                return true;
            case (SchemaType.String, string str):
                w.WriteString(str);
                return true;
            case (SchemaType.Bytes, byte[] bytes):
                w.WriteBytes(bytes);
                return true;
            case (SchemaType.Bytes, ReadOnlyMemory<byte> memory):
                w.WriteBytes(memory.Span);
                return true;
            case (SchemaType.Fixed, GenericFixed gf) when gf.Value.Length == ((FixedSchema)s).Size:
                w.WriteFixed(gf.Value);
                return true;
            case (SchemaType.Fixed, byte[] raw) when raw.Length == ((FixedSchema)s).Size:
                w.WriteFixed(raw);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Chooses the union branch for a generic value: the most specific branch for the value's .NET type.</summary>
    public static int SelectBranch(UnionSchema u, object? v)
    {
        var b = u.Branches;
        int Find(Func<Schema, bool> predicate)
        {
            for (var i = 0; i < b.Count; i++)
            {
                if (predicate(b[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        int First(params Func<Schema, bool>[] predicates)
        {
            foreach (var p in predicates)
            {
                var i = Find(p);
                if (i >= 0)
                {
                    return i;
                }
            }

            return -1;
        }

        static bool Plain(Schema s, SchemaType t) => s.Type == t && s.LogicalTypeName is null;
        static bool Logical(Schema s, string l) => s.LogicalTypeName == l;

        return v switch
        {
            null => Find(s => s.Type == SchemaType.Null),
            GenericRecord r => First(s => s is RecordSchema rs && rs.FullName == r.Schema.FullName, s => s is RecordSchema rs && rs.Name == r.Schema.Name),
            GenericEnum e => First(s => s is EnumSchema es && es.FullName == e.Schema.FullName, s => s is EnumSchema es && es.Name == e.Schema.Name),
            GenericFixed f => First(s => s is FixedSchema fs && fs.FullName == f.Schema.FullName, s => s is FixedSchema fs && fs.Name == f.Schema.Name),
            bool => Find(s => s.Type == SchemaType.Boolean),
            int => First(s => Plain(s, SchemaType.Int), s => Plain(s, SchemaType.Long), s => s.Type == SchemaType.Int, s => s.Type == SchemaType.Long,
                s => s.Type == SchemaType.Float, s => s.Type == SchemaType.Double),
            long => First(s => Plain(s, SchemaType.Long), s => s.Type == SchemaType.Long, s => s.Type == SchemaType.Float, s => s.Type == SchemaType.Double),
            float => First(s => s.Type == SchemaType.Float, s => s.Type == SchemaType.Double),
            double => Find(s => s.Type == SchemaType.Double),
            string => First(s => Plain(s, SchemaType.String), s => s.Type == SchemaType.String, s => s.Type == SchemaType.Enum),
            byte[] bytes => First(s => Plain(s, SchemaType.Bytes), s => s is FixedSchema fs && fs.Size == bytes.Length && fs.LogicalTypeName is null),
            ReadOnlyMemory<byte> => Find(s => Plain(s, SchemaType.Bytes)),
            decimal or AvroDecimal => Find(s => Logical(s, LogicalTypes.Decimal)),
            Guid => First(s => Logical(s, LogicalTypes.Uuid), s => s.Type == SchemaType.String),
            DateOnly => Find(s => Logical(s, LogicalTypes.Date)),
            TimeOnly => First(s => Logical(s, LogicalTypes.TimeMicros), s => Logical(s, LogicalTypes.TimeMillis)),
            DateTimeOffset => First(s => Logical(s, LogicalTypes.TimestampMicros), s => Logical(s, LogicalTypes.TimestampMillis)),
            DateTime { Kind: DateTimeKind.Utc } => First(s => Logical(s, LogicalTypes.TimestampMicros), s => Logical(s, LogicalTypes.TimestampMillis),
                s => Logical(s, LogicalTypes.LocalTimestampMicros), s => Logical(s, LogicalTypes.LocalTimestampMillis)),
            DateTime => First(s => Logical(s, LogicalTypes.LocalTimestampMicros), s => Logical(s, LogicalTypes.LocalTimestampMillis),
                s => Logical(s, LogicalTypes.TimestampMicros), s => Logical(s, LogicalTypes.TimestampMillis)),
            IDictionary or IEnumerable<KeyValuePair<string, object?>> => Find(s => s.Type == SchemaType.Map),
            IEnumerable => Find(s => s.Type == SchemaType.Array),
            _ => -1,
        };
    }
}
