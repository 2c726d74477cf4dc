using System.Text;

namespace MesErpStreams.Observability.Internal;

/// <summary>
/// Turns OpenTelemetry-style instrument names and UCUM units into Prometheus names: invalid characters become
/// underscores, the unit becomes a suffix in base-unit words (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>,
/// annotations such as <c>{event}</c> are dropped), counters end in <c>_total</c>; a suffix already present is not repeated.
/// </summary>
internal static class PrometheusNaming
{
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var isCounter = kind == MetricKind.Counter;
        if (isCounter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
        }

        var suffix = UnitSuffix(unit, kind);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal) && name != suffix)
        {
            name = name + "_" + suffix;
        }

        return isCounter ? name + "_total" : name;
    }

    /// <summary>Label name; runs of underscores collapse, so the reserved <c>__</c> prefix cannot occur.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    internal static string UnitSuffix(string? unit, MetricKind kind)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        var stripped = StripAnnotations(unit).Trim();
        if (stripped.Length == 0)
        {
            return string.Empty;
        }

        if (stripped == "1")
        {
            return kind == MetricKind.Gauge ? "ratio" : string.Empty;
        }

        var slash = stripped.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var num = stripped[..slash];
            var den = stripped[(slash + 1)..];
            var left = num.Length == 0 || num == "1" ? string.Empty : Word(num, plural: true);
            var right = Word(den, plural: false);
            var combined = left.Length == 0 ? "per_" + right : left + "_per_" + right;
            return Sanitize(combined, allowColon: false).Trim('_');
        }

        return Sanitize(Word(stripped, plural: true), allowColon: false).Trim('_');
    }

    private static string Word(string unit, bool plural) => unit switch
    {
        "s" => plural ? "seconds" : "second",
        "ms" => plural ? "milliseconds" : "millisecond",
        "us" => plural ? "microseconds" : "microsecond",
        "ns" => plural ? "nanoseconds" : "nanosecond",
        "min" => plural ? "minutes" : "minute",
        "h" => plural ? "hours" : "hour",
        "d" => plural ? "days" : "day",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "bit" => "bits",
        "%" => "percent",
        "Hz" => "hertz",
        "Cel" => "celsius",
        "m" => plural ? "meters" : "meter",
        _ => unit,
    };

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var sb = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Sanitize(string value, bool allowColon)
    {
        var sb = new StringBuilder(value.Length + 1);
        foreach (var c in value)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            var ch = ok ? c : '_';
            if (ch == '_' && sb.Length > 0 && sb[^1] == '_')
            {
                continue;
            }

            sb.Append(ch);
        }

        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }
}
