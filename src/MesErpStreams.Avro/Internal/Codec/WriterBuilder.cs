using System.Buffers.Text;
using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Builds the encoder for a (schema, .NET type) pair once; target <see cref="object"/> encodes generic values.</summary>
internal sealed partial class WriterBuilder
{
    private readonly Dictionary<(Schema Schema, Type Type), object> records = [];

    public ValueWriter<T> Build<T>(Schema schema) => (ValueWriter<T>)Build(schema, typeof(T), ReaderBuilder.Where(typeof(T), null));

    public object Build(Schema s, Type t, string where)
    {
        if (t == typeof(object))
        {
            return new GenericValueWriter(s);
        }

        if (t == typeof(GenericRecord) || t == typeof(GenericEnum) || t == typeof(GenericFixed))
        {
            return Generic(nameof(Upcast), [t, typeof(object)], new GenericValueWriter(s));
        }

        if (s is UnionSchema u)
        {
            return BuildUnion(u, t, where);
        }

        if (Nullable.GetUnderlyingType(t) is { } underlying)
        {
            var inner = Build(s, underlying, where);
            return Generic(nameof(NonNull), [underlying], inner, where);
        }

        switch (s)
        {
            case RecordSchema r:
                return BuildRecord(r, t, where);
            case EnumSchema e:
                return BuildEnum(e, t, where);
            case ArraySchema a:
                return BuildArray(a, t, where);
            case MapSchema m:
                return BuildMap(m, t, where);
        }

        if (s.Type == SchemaType.Null)
        {
            if (t.IsValueType)
            {
                throw Mismatch(s, t, where);
            }

            return Activator.CreateInstance(typeof(NullWriter<>).MakeGenericType(t))!;
        }

        return BuildPrimitive(s, t, where) ?? throw Mismatch(s, t, where);
    }

    private static AvroBindingException Mismatch(Schema s, Type t, string where) =>
        new($"{where}: .NET type {t.Name} cannot bind Avro {SchemaInfo.Describe(s)}");

    private object Generic(string method, Type[] typeArgs, params object[] args)
    {
        var m = typeof(WriterBuilder).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!.MakeGenericMethod(typeArgs);
        return m.Invoke(m.IsStatic ? null : this, args)!;
    }

    private static ConvertingWriter<T?, T> NonNull<T>(ValueWriter<T> inner, string where)
        where T : struct => new(inner, v => v ?? throw new AvroEncodeException($"{where}: null for a non-nullable schema"));

    private object BuildUnion(UnionSchema u, Type t, string where)
    {
        var nonNull = u.Branches.Where(b => b.Type != SchemaType.Null).ToList();
        if (nonNull.Count != 1)
        {
            throw new AvroBindingException($"{where}: union {SchemaInfo.Describe(u)} must have exactly one non-null branch to bind {t.Name}; bind it to object (generic values)");
        }

        var valueIndex = u.Branches.ToList().IndexOf(nonNull[0]);
        var nullIndex = u.NullIndex;
        if (Nullable.GetUnderlyingType(t) is { } underlying)
        {
            var inner = Build(nonNull[0], underlying, where);
            return Generic(nameof(NullableStructUnion), [underlying], inner, nullIndex, valueIndex, where);
        }

        if (t.IsValueType && nullIndex >= 0)
        {
            throw new AvroBindingException($"{where}: {t.Name} cannot hold the null of union {SchemaInfo.Describe(u)}; use a nullable type");
        }

        var valueWriter = Build(nonNull[0], t, where);
        return Generic(nameof(ReferenceUnion), [t], valueWriter, nullIndex, valueIndex, where);
    }

    private static UnionWriter<T> ReferenceUnion<T>(ValueWriter<T> inner, int nullIndex, int valueIndex, string where) => new(inner, nullIndex, valueIndex, where);

    private static NullableUnionWriter<T> NullableStructUnion<T>(ValueWriter<T> inner, int nullIndex, int valueIndex, string where)
        where T : struct => new(inner, nullIndex, valueIndex, where);

    private object BuildEnum(EnumSchema e, Type t, string where)
    {
        if (t == typeof(string))
        {
            return new ConvertingWriter<string, int>(new IntWriter(), v =>
            {
                var i = v is null ? -1 : e.IndexOf(v);
                return i >= 0 ? i : throw new AvroEncodeException($"{where}: '{v}' is not a symbol of enum '{e.FullName}'");
            });
        }

        if (t.IsEnum)
        {
            var members = ReaderBuilder.EnumMembers(t, e, where);
            return Generic(nameof(EnumWriter), [t], members, e, where);
        }

        throw Mismatch(e, t, where);
    }

    private static ConvertingWriter<TEnum, int> EnumWriter<TEnum>(object[] members, EnumSchema e, string where)
        where TEnum : struct, Enum
    {
        var map = new Dictionary<TEnum, int>();
        for (var i = 0; i < members.Length; i++)
        {
            map.TryAdd((TEnum)members[i], i);
        }

        return new ConvertingWriter<TEnum, int>(new IntWriter(), v =>
            map.TryGetValue(v, out var i) ? i : throw new AvroEncodeException($"{where}: {v} has no symbol in enum '{e.FullName}'"));
    }

    private static object? BuildPrimitive(Schema s, Type t, string where)
    {
        var logical = s.LogicalTypeName;
        if (logical == LogicalTypes.Decimal && t == typeof(decimal))
        {
            return new DecimalWriter(s is FixedSchema f ? f.Size : -1, s.Scale ?? 0, s.Precision ?? 0);
        }

        return (s.Type, logical) switch
        {
            (SchemaType.Boolean, _) when t == typeof(bool) => new BooleanWriter(),
            (SchemaType.Int, _) when t == typeof(int) => new IntWriter(),
            (SchemaType.Int, LogicalTypes.Date) when t == typeof(DateOnly) => new ConvertingWriter<DateOnly, int>(new IntWriter(), Temporal.FromDate),
            (SchemaType.Int, LogicalTypes.TimeMillis) when t == typeof(TimeOnly) => new ConvertingWriter<TimeOnly, int>(new IntWriter(), Temporal.FromTimeMillis),
            (SchemaType.Int, LogicalTypes.TimeMillis) when t == typeof(TimeSpan) =>
                new ConvertingWriter<TimeSpan, int>(new IntWriter(), static v => Temporal.FromTimeMillis(TimeOnly.FromTimeSpan(v))),
            (SchemaType.Long, _) when t == typeof(long) => new LongWriter(),
            (SchemaType.Long, _) when t == typeof(int) => new ConvertingWriter<int, long>(new LongWriter(), static v => v),
            (SchemaType.Long, LogicalTypes.TimeMicros) when t == typeof(TimeOnly) => new ConvertingWriter<TimeOnly, long>(new LongWriter(), Temporal.FromTimeMicros),
            (SchemaType.Long, LogicalTypes.TimeMicros) when t == typeof(TimeSpan) =>
                new ConvertingWriter<TimeSpan, long>(new LongWriter(), static v => Temporal.FromTimeMicros(TimeOnly.FromTimeSpan(v))),
            (SchemaType.Long, LogicalTypes.TimestampMillis) when t == typeof(DateTimeOffset) =>
                new ConvertingWriter<DateTimeOffset, long>(new LongWriter(), static v => Temporal.FromTimestamp(v, TimeSpan.TicksPerMillisecond)),
            (SchemaType.Long, LogicalTypes.TimestampMicros) when t == typeof(DateTimeOffset) =>
                new ConvertingWriter<DateTimeOffset, long>(new LongWriter(), static v => Temporal.FromTimestamp(v, 10)),
            (SchemaType.Long, LogicalTypes.TimestampMillis) when t == typeof(DateTime) =>
                new ConvertingWriter<DateTime, long>(new LongWriter(), static v => Temporal.FromUtcDateTime(v, TimeSpan.TicksPerMillisecond)),
            (SchemaType.Long, LogicalTypes.TimestampMicros) when t == typeof(DateTime) =>
                new ConvertingWriter<DateTime, long>(new LongWriter(), static v => Temporal.FromUtcDateTime(v, 10)),
            (SchemaType.Long, LogicalTypes.LocalTimestampMillis) when t == typeof(DateTime) =>
                new ConvertingWriter<DateTime, long>(new LongWriter(), static v => Temporal.FromLocalDateTime(v, TimeSpan.TicksPerMillisecond)),
            (SchemaType.Long, LogicalTypes.LocalTimestampMicros) when t == typeof(DateTime) =>
                new ConvertingWriter<DateTime, long>(new LongWriter(), static v => Temporal.FromLocalDateTime(v, 10)),
            (SchemaType.Float, _) when t == typeof(float) => new FloatWriter(),
            (SchemaType.Double, _) when t == typeof(double) => new DoubleWriter(),
            (SchemaType.Double, _) when t == typeof(float) => new ConvertingWriter<float, double>(new DoubleWriter(), static v => v),
            (SchemaType.String, LogicalTypes.Uuid) when t == typeof(Guid) => new UuidWriter(),
            (SchemaType.String, _) when t == typeof(string) => new StringWriter(),
            (SchemaType.Bytes, _) when t == typeof(byte[]) => new BytesWriter(),
            (SchemaType.Bytes, _) when t == typeof(ReadOnlyMemory<byte>) => new MemoryWriter(),
            (SchemaType.Fixed, _) when t == typeof(byte[]) => new FixedWriter((FixedSchema)s),
            _ => null,
        };
    }

    private sealed class UuidWriter : ValueWriter<Guid>
    {
        public override void Write(ref AvroWriter w, Guid value)
        {
            Span<byte> text = stackalloc byte[36];
            Utf8Formatter.TryFormat(value, text, out _, 'D');
            w.WriteBytes(text);
        }
    }

    private sealed class MemoryWriter : ValueWriter<ReadOnlyMemory<byte>>
    {
        public override void Write(ref AvroWriter w, ReadOnlyMemory<byte> value) => w.WriteBytes(value.Span);
    }

    internal sealed class DecimalWriter(int fixedSize, int scale, int precision) : ValueWriter<decimal>
    {
        public override void Write(ref AvroWriter w, decimal value)
        {
            if (precision > 38)
            {
                var big = DecimalCodec.ToUnscaledBig(value, scale, precision);
                if (fixedSize >= 0)
                {
                    w.WriteFixed(DecimalCodec.ToFixed(big, fixedSize));
                }
                else
                {
                    w.WriteBytes(big.ToByteArray(isUnsigned: false, isBigEndian: true));
                }

                return;
            }

            var unscaled = DecimalCodec.ToUnscaled(value, scale, precision);
            Span<byte> bytes = stackalloc byte[16];
            var length = DecimalCodec.WriteMinimal(unscaled, bytes);
            if (fixedSize < 0)
            {
                w.WriteBytes(bytes[..length]);
                return;
            }

            if (length > fixedSize)
            {
                throw new AvroEncodeException($"Decimal {value} does not fit in fixed({fixedSize})");
            }

            Span<byte> padded = stackalloc byte[fixedSize];
            padded[..(fixedSize - length)].Fill(unscaled < 0 ? (byte)0xFF : (byte)0);
            bytes[..length].CopyTo(padded[(fixedSize - length)..]);
            w.WriteFixed(padded);
        }
    }
}

/// <summary>["null", T] (either order) for reference types.</summary>
internal sealed class UnionWriter<T>(ValueWriter<T> inner, int nullIndex, int valueIndex, string where) : ValueWriter<T>
{
    public override void Write(ref AvroWriter w, T value)
    {
        if (value is null)
        {
            w.WriteInt(nullIndex >= 0 ? nullIndex : throw new AvroEncodeException($"{where}: null for a union without a null branch"));
            return;
        }

        w.WriteInt(valueIndex);
        inner.Write(ref w, value);
    }
}

/// <summary>["null", T] (either order) for nullable value types.</summary>
internal sealed class NullableUnionWriter<T>(ValueWriter<T> inner, int nullIndex, int valueIndex, string where) : ValueWriter<T?>
    where T : struct
{
    public override void Write(ref AvroWriter w, T? value)
    {
        if (value is not { } v)
        {
            w.WriteInt(nullIndex >= 0 ? nullIndex : throw new AvroEncodeException($"{where}: null for a union without a null branch"));
            return;
        }

        w.WriteInt(valueIndex);
        inner.Write(ref w, v);
    }
}
