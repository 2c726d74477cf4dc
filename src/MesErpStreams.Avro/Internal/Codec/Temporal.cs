namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Conversions of the date/time logical types (all relative to the Unix epoch, 1970-01-01).</summary>
internal static class Temporal
{
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly long MaxTicks = DateTime.MaxValue.Ticks;

    public static bool TryDate(int days, out DateOnly value)
    {
        var dayNumber = (long)EpochDayNumber + days;
        if (dayNumber < 0 || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            value = default;
            return false;
        }

        value = DateOnly.FromDayNumber((int)dayNumber);
        return true;
    }

    public static DateOnly ToDate(int days) =>
        TryDate(days, out var v) ? v : throw new AvroDecodeException($"date {days} is outside the range of DateOnly");

    public static int FromDate(DateOnly d) => d.DayNumber - EpochDayNumber;

    public static bool TryTime(long units, long ticksPerUnit, out TimeOnly value)
    {
        if (units < 0 || units >= TimeSpan.TicksPerDay / ticksPerUnit)
        {
            value = default;
            return false;
        }

        value = new TimeOnly(units * ticksPerUnit);
        return true;
    }

    public static TimeOnly ToTimeMillis(int millis) =>
        TryTime(millis, TimeSpan.TicksPerMillisecond, out var v) ? v : throw new AvroDecodeException($"time-millis {millis} is not within a day");

    public static TimeOnly ToTimeMicros(long micros) =>
        TryTime(micros, 10, out var v) ? v : throw new AvroDecodeException($"time-micros {micros} is not within a day");

    public static int FromTimeMillis(TimeOnly t) => (int)(t.Ticks / TimeSpan.TicksPerMillisecond);

    public static long FromTimeMicros(TimeOnly t) => t.Ticks / 10;

    public static bool TryTicks(long units, long ticksPerUnit, out long ticks)
    {
        var min = -EpochTicks / ticksPerUnit;
        var max = (MaxTicks - EpochTicks) / ticksPerUnit;
        if (units < min || units > max)
        {
            ticks = 0;
            return false;
        }

        ticks = EpochTicks + (units * ticksPerUnit);
        return true;
    }

    public static DateTimeOffset ToTimestamp(long units, long ticksPerUnit) =>
        TryTicks(units, ticksPerUnit, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : throw new AvroDecodeException($"timestamp {units} is outside the range of DateTimeOffset");

    public static DateTime ToUtcDateTime(long units, long ticksPerUnit) =>
        TryTicks(units, ticksPerUnit, out var t)
            ? new DateTime(t, DateTimeKind.Utc)
            : throw new AvroDecodeException($"timestamp {units} is outside the range of DateTime");

    public static DateTime ToLocalDateTime(long units, long ticksPerUnit) =>
        TryTicks(units, ticksPerUnit, out var t)
            ? new DateTime(t, DateTimeKind.Unspecified)
            : throw new AvroDecodeException($"local timestamp {units} is outside the range of DateTime");

    /// <summary>Units since the epoch, rounding toward negative infinity so that pre-1970 instants stay ordered.</summary>
    public static long FromTicks(long ticks, long ticksPerUnit) => Math.DivRem(ticks - EpochTicks, ticksPerUnit) switch
    {
        var (q, r) when r < 0 => q - 1,
        var (q, _) => q,
    };

    public static long FromTimestamp(DateTimeOffset value, long ticksPerUnit) => FromTicks(value.UtcTicks, ticksPerUnit);

    public static long FromUtcDateTime(DateTime value, long ticksPerUnit) =>
        FromTicks(value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks, ticksPerUnit);

    public static long FromLocalDateTime(DateTime value, long ticksPerUnit) => FromTicks(value.Ticks, ticksPerUnit);
}
