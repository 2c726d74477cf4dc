using System.Buffers.Text;
using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

internal sealed partial class ReaderBuilder
{
    private static object BuildPrimitive(Schema w, Schema r, Type t, string where)
    {
        var logical = r.LogicalTypeName;
        if (logical == LogicalTypes.Decimal && w.Type == r.Type && t != typeof(byte[]))
        {
            // The bytes carry the writer's scale; reading them at it keeps the value exact.
            var scale = (w.LogicalTypeName == LogicalTypes.Decimal ? w.Scale : r.Scale) ?? 0;
            var size = r is FixedSchema f ? f.Size : -1;
            if (t == typeof(decimal))
            {
                if (scale > 28)
                {
                    throw new AvroBindingException($"{where}: decimal scale {scale} exceeds System.Decimal's 28");
                }

                return new DecimalReader(size, scale);
            }

            if (t == typeof(object))
            {
                return new GenericDecimalReader(size, scale);
            }

            throw Mismatch(r, t, where);
        }

        if (logical == LogicalTypes.Uuid && t == typeof(Guid) && w.Type == SchemaType.String)
        {
            return new UuidReader();
        }

        if (r is FixedSchema)
        {
            throw new AvroResolutionException($"{where}: writer {SchemaInfo.Describe(w)} cannot be read as reader {SchemaInfo.Describe(r)}");
        }

        var (baseReader, baseType) = BaseReader(w, r, where);
        if (t == baseType)
        {
            return baseReader;
        }

        if (t == typeof(object))
        {
            return BoxWithLogical(baseReader, logical);
        }

        return Convert(baseReader, baseType, logical, r, t, where);
    }

    private static (object Reader, Type Type) BaseReader(Schema w, Schema r, string where) => (w.Type, r.Type) switch
    {
        (SchemaType.Boolean, SchemaType.Boolean) => (new BooleanReader(), typeof(bool)),
        (SchemaType.Int, SchemaType.Int) => (new IntReader(), typeof(int)),
        (SchemaType.Int, SchemaType.Long) => (new IntAsLongReader(), typeof(long)),
        (SchemaType.Long, SchemaType.Long) => (new LongReader(), typeof(long)),
        (SchemaType.Int, SchemaType.Float) => (new IntAsFloatReader(), typeof(float)),
        (SchemaType.Long, SchemaType.Float) => (new LongAsFloatReader(), typeof(float)),
        (SchemaType.Float, SchemaType.Float) => (new FloatReader(), typeof(float)),
        (SchemaType.Int, SchemaType.Double) => (new IntAsDoubleReader(), typeof(double)),
        (SchemaType.Long, SchemaType.Double) => (new LongAsDoubleReader(), typeof(double)),
        (SchemaType.Float, SchemaType.Double) => (new FloatAsDoubleReader(), typeof(double)),
        (SchemaType.Double, SchemaType.Double) => (new DoubleReader(), typeof(double)),
        (SchemaType.Bytes or SchemaType.String, SchemaType.Bytes) => (new BytesReader(), typeof(byte[])),
        (SchemaType.Bytes or SchemaType.String, SchemaType.String) => (new StringReader(), typeof(string)),
        _ => throw new AvroResolutionException($"{where}: writer {SchemaInfo.Describe(w)} cannot be read as reader {SchemaInfo.Describe(r)}"),
    };

    private static AvroBindingException Mismatch(Schema r, Type t, string where) =>
        new($"{where}: .NET type {t.Name} cannot bind Avro {SchemaInfo.Describe(r)}");

    private static object BoxWithLogical(object baseReader, string? logical) => (baseReader, logical) switch
    {
        (ValueReader<int> i, LogicalTypes.Date) => new ConvertingReader<int, object?>(i, static v => Temporal.TryDate(v, out var d) ? d : v),
        (ValueReader<int> i, LogicalTypes.TimeMillis) =>
            new ConvertingReader<int, object?>(i, static v => Temporal.TryTime(v, TimeSpan.TicksPerMillisecond, out var t) ? t : v),
        (ValueReader<long> l, LogicalTypes.TimeMicros) => new ConvertingReader<long, object?>(l, static v => Temporal.TryTime(v, 10, out var t) ? t : v),
        (ValueReader<long> l, LogicalTypes.TimestampMillis) => new ConvertingReader<long, object?>(l, static v =>
            Temporal.TryTicks(v, TimeSpan.TicksPerMillisecond, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : v),
        (ValueReader<long> l, LogicalTypes.TimestampMicros) => new ConvertingReader<long, object?>(l, static v =>
            Temporal.TryTicks(v, 10, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : v),
        (ValueReader<long> l, LogicalTypes.LocalTimestampMillis) => new ConvertingReader<long, object?>(l, static v =>
            Temporal.TryTicks(v, TimeSpan.TicksPerMillisecond, out var t) ? new DateTime(t, DateTimeKind.Unspecified) : v),
        (ValueReader<long> l, LogicalTypes.LocalTimestampMicros) => new ConvertingReader<long, object?>(l, static v =>
            Temporal.TryTicks(v, 10, out var t) ? new DateTime(t, DateTimeKind.Unspecified) : v),
        (ValueReader<string> s, LogicalTypes.Uuid) => new ConvertingReader<string, object?>(s, static v => Guid.TryParseExact(v, "D", out var g) ? g : v),
        (ValueReader<bool> b, _) => Box(b),
        (ValueReader<int> i, _) => Box(i),
        (ValueReader<long> l, _) => Box(l),
        (ValueReader<float> f, _) => Box(f),
        (ValueReader<double> d, _) => Box(d),
        (ValueReader<byte[]> b, _) => Box(b),
        (ValueReader<string> s, _) => Box(s),
        _ => throw new InvalidOperationException("unreachable: unknown base reader"),
    };

    private static object Convert(object baseReader, Type baseType, string? logical, Schema r, Type t, string where)
    {
        object? result = (baseReader, logical) switch
        {
            (ValueReader<int> i, LogicalTypes.Date) when t == typeof(DateOnly) => new ConvertingReader<int, DateOnly>(i, Temporal.ToDate),
            (ValueReader<int> i, LogicalTypes.TimeMillis) when t == typeof(TimeOnly) => new ConvertingReader<int, TimeOnly>(i, Temporal.ToTimeMillis),
            (ValueReader<int> i, LogicalTypes.TimeMillis) when t == typeof(TimeSpan) =>
                new ConvertingReader<int, TimeSpan>(i, static v => Temporal.ToTimeMillis(v).ToTimeSpan()),
            (ValueReader<long> l, LogicalTypes.TimeMicros) when t == typeof(TimeOnly) => new ConvertingReader<long, TimeOnly>(l, Temporal.ToTimeMicros),
            (ValueReader<long> l, LogicalTypes.TimeMicros) when t == typeof(TimeSpan) =>
                new ConvertingReader<long, TimeSpan>(l, static v => Temporal.ToTimeMicros(v).ToTimeSpan()),
            (ValueReader<long> l, LogicalTypes.TimestampMillis) when t == typeof(DateTimeOffset) =>
                new ConvertingReader<long, DateTimeOffset>(l, static v => Temporal.ToTimestamp(v, TimeSpan.TicksPerMillisecond)),
            (ValueReader<long> l, LogicalTypes.TimestampMicros) when t == typeof(DateTimeOffset) =>
                new ConvertingReader<long, DateTimeOffset>(l, static v => Temporal.ToTimestamp(v, 10)),
            (ValueReader<long> l, LogicalTypes.TimestampMillis) when t == typeof(DateTime) =>
                new ConvertingReader<long, DateTime>(l, static v => Temporal.ToUtcDateTime(v, TimeSpan.TicksPerMillisecond)),
            (ValueReader<long> l, LogicalTypes.TimestampMicros) when t == typeof(DateTime) =>
                new ConvertingReader<long, DateTime>(l, static v => Temporal.ToUtcDateTime(v, 10)),
            (ValueReader<long> l, LogicalTypes.LocalTimestampMillis) when t == typeof(DateTime) =>
                new ConvertingReader<long, DateTime>(l, static v => Temporal.ToLocalDateTime(v, TimeSpan.TicksPerMillisecond)),
            (ValueReader<long> l, LogicalTypes.LocalTimestampMicros) when t == typeof(DateTime) =>
                new ConvertingReader<long, DateTime>(l, static v => Temporal.ToLocalDateTime(v, 10)),
            (ValueReader<int> i, _) when t == typeof(long) => new ConvertingReader<int, long>(i, static v => v),
            (ValueReader<float> f, _) when t == typeof(double) => new ConvertingReader<float, double>(f, static v => v),
            (ValueReader<string> s, LogicalTypes.Uuid) when t == typeof(Guid) => new ConvertingReader<string, Guid>(s, ParseUuid),
            (ValueReader<byte[]> b, _) when t == typeof(ReadOnlyMemory<byte>) => new ConvertingReader<byte[], ReadOnlyMemory<byte>>(b, static v => v),
            _ => null,
        };
        return result ?? throw Mismatch(r, t, where);
    }

    private static Guid ParseUuid(string s) =>
        Guid.TryParseExact(s, "D", out var g) ? g : throw new AvroDecodeException($"'{s}' is not a valid uuid");

    private object BuildEnum(EnumSchema w, EnumSchema r, Type t, string where)
    {
        var map = new int[w.Symbols.Count];
        var defaultIndex = r.Default is null ? -1 : r.IndexOf(r.Default);
        for (var i = 0; i < map.Length; i++)
        {
            var index = r.IndexOf(w.Symbols[i]);
            map[i] = index >= 0 ? index : defaultIndex;
        }

        var baseReader = new EnumIndexReader(map, [.. w.Symbols], r.FullName);
        if (t == typeof(object))
        {
            var values = r.Symbols.Select(s => new GenericEnum(r, s)).ToArray();
            return new ConvertingReader<int, object?>(baseReader, i => values[i]);
        }

        if (t == typeof(string))
        {
            var symbols = r.Symbols.ToArray();
            return new ConvertingReader<int, string>(baseReader, i => symbols[i]);
        }

        if (t == typeof(int))
        {
            return baseReader;
        }

        if (t.IsEnum)
        {
            var members = EnumMembers(t, r, where);
            var method = typeof(ReaderBuilder).GetMethod(nameof(EnumConverter), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);
            return method.Invoke(null, [baseReader, members])!;
        }

        throw Mismatch(r, t, where);
    }

    private static ConvertingReader<int, TEnum> EnumConverter<TEnum>(EnumIndexReader inner, object[] members)
        where TEnum : struct, Enum
    {
        var typed = members.Cast<TEnum>().ToArray();
        return new ConvertingReader<int, TEnum>(inner, i => typed[i]);
    }

    /// <summary>The .NET enum member for each symbol of the schema, by symbol name or <see cref="AvroEnumSymbolAttribute"/>.</summary>
    internal static object[] EnumMembers(Type enumType, EnumSchema schema, string where)
    {
        var bySymbol = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var symbol = field.GetCustomAttribute<AvroEnumSymbolAttribute>()?.Symbol ?? field.Name;
            bySymbol[symbol] = field.GetValue(null)!;
        }

        return schema.Symbols.Select(s => bySymbol.TryGetValue(s, out var v)
                ? v
                : throw new AvroBindingException($"{where}: enum {enumType.Name} has no member for symbol '{s}' of '{schema.FullName}'"))
            .ToArray();
    }

    private static object BuildFixed(FixedSchema r, Type t, string where)
    {
        if (r.LogicalTypeName == LogicalTypes.Decimal && t != typeof(byte[]))
        {
            return BuildPrimitive(r, r, t, where);
        }

        var raw = new FixedReader(r.Size);
        if (t == typeof(byte[]))
        {
            return raw;
        }

        if (t == typeof(object))
        {
            return new ConvertingReader<byte[], object?>(raw, v => new GenericFixed(r, v));
        }

        throw Mismatch(r, t, where);
    }

    private sealed class UuidReader : ValueReader<Guid>
    {
        public override Guid Read(ref AvroReader r)
        {
            var start = r.Position;
            var bytes = r.ReadBytesSpan();
            return Utf8Parser.TryParse(bytes, out Guid g, out var consumed, 'D') && consumed == bytes.Length
                ? g
                : throw new AvroDecodeException($"String at byte {start} is not a valid uuid");
        }
    }

    private sealed class DecimalReader(int fixedSize, int scale) : ValueReader<decimal>
    {
        public override decimal Read(ref AvroReader r) =>
            DecimalCodec.ToDecimal(fixedSize >= 0 ? r.ReadSpan(fixedSize) : r.ReadBytesSpan(), scale);
    }

    private sealed class GenericDecimalReader(int fixedSize, int scale) : ValueReader<object?>
    {
        public override object? Read(ref AvroReader r)
        {
            var bytes = fixedSize >= 0 ? r.ReadSpan(fixedSize) : r.ReadBytesSpan();
            return DecimalCodec.TryToDecimal(bytes, scale, out var d) ? d : new AvroDecimal(DecimalCodec.ReadBig(bytes), scale);
        }
    }
}
