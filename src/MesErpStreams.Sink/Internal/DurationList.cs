using System.Globalization;

namespace MesErpStreams.Sink.Internal;

/// <summary>Parses durations like <c>500ms</c>, <c>5s</c>, <c>1m</c>, <c>2h</c> or <c>00:00:05</c>, and comma-separated lists of them.</summary>
internal static class DurationList
{
    public static List<TimeSpan> Parse(string text, string option) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => ParseOne(t, option)).ToList();

    public static TimeSpan ParseOne(string t, string option)
    {
        static bool Num(string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && v >= 0;
        if (t.EndsWith("ms", StringComparison.Ordinal) && Num(t[..^2], out var ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (t.Length > 1 && Num(t[..^1], out var v))
        {
            switch (t[^1])
            {
                case 's': return TimeSpan.FromSeconds(v);
                case 'm': return TimeSpan.FromMinutes(v);
                case 'h': return TimeSpan.FromHours(v);
            }
        }

        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var ts) && ts >= TimeSpan.Zero
            ? ts
            : throw new ArgumentException($"{option}: '{t}' is not a duration (e.g. 500ms, 5s, 1m, 2h)", option);
    }
}
