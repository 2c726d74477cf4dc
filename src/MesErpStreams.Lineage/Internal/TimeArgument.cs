using System.CommandLine;
using System.Globalization;
using MesErpStreams.Hosting;

namespace MesErpStreams.Lineage.Internal;

/// <summary>A point in time on the command line: ISO 8601, or a duration ago.</summary>
internal static class TimeArgument
{
    public static Option<DateTimeOffset?> Option(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value.Trim();
            if (TryParse(text, DateTimeOffset.UtcNow, out var t))
            {
                return t;
            }

            r.AddError($"{name}: '{text}' is neither an ISO 8601 time nor a duration ago (30m, 2h, 7d).");
            return null;
        },
    };

    /// <summary>Parses <paramref name="text"/>: a positive duration means that long before <paramref name="now"/>.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        // "2026-11-22" would also read as a TimeSpan-like token for some forms; dates contain '-', durations never do.
        if (!text.Contains('-', StringComparison.Ordinal) && !text.Contains('T', StringComparison.Ordinal)
            && CommonOptions.TryParseDuration(text, out var ago) && ago > TimeSpan.Zero)
        {
            value = now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
