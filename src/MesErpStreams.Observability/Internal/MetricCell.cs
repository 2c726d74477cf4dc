using System.Text;

namespace MesErpStreams.Observability.Internal;

/// <summary>
/// The aggregate of one series (one instrument and one tag set). Allocated once per tag set; updates are lock-free
/// and allocation-free.
/// </summary>
internal sealed class MetricCell
{
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly long[]? _buckets;
    private double _value;
    private double _sum;
    private long _generation;

    public MetricCell(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash, int bucketCount, string? extraLabel = null)
    {
        _tags = tags.ToArray();
        Hash = hash;
        _buckets = bucketCount > 0 ? new long[bucketCount + 1] : null;
        Labels = RenderLabels(_tags, extraLabel);
    }

    /// <summary>Rendered label pairs without braces, sorted by name (e.g. <c>outcome="posted",tier="1"</c>).</summary>
    public string Labels { get; }

    public int Hash { get; }

    /// <summary>Next cell with the same hash (collision chain).</summary>
    public MetricCell? Next { get; set; }

    public long Generation => Volatile.Read(ref _generation);

    public double Value => Volatile.Read(ref _value);

    public double Sum => Volatile.Read(ref _sum);

    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Order-independent so that the same tags in another order land in the same cell.
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            var found = false;
            foreach (var own in _tags)
            {
                if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    public void Add(double delta)
    {
        AddDouble(ref _value, delta);
    }

    public void Set(double value, long generation)
    {
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _generation, generation);
    }

    public void Record(double value, double[] bounds)
    {
        // Bucket i counts values <= bounds[i]; the last slot is +Inf.
        var index = Array.BinarySearch(bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _buckets![index]);
        AddDouble(ref _sum, value);
    }

    /// <summary>Copies the per-bucket (non-cumulative) counts into <paramref name="destination"/>.</summary>
    public void CopyBuckets(long[] destination)
    {
        for (var i = 0; i < _buckets!.Length; i++)
        {
            destination[i] = Volatile.Read(ref _buckets[i]);
        }
    }

    private static void AddDouble(ref double location, double delta)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + delta, current);
#pragma warning disable S1244 // exact comparison is the point: CAS succeeded when the value is bit-identical
            if (seen == current || (double.IsNaN(seen) && double.IsNaN(current)))
#pragma warning restore S1244
            {
                return;
            }

            current = seen;
        }
    }

    private static string RenderLabels(KeyValuePair<string, object?>[] tags, string? extraLabel)
    {
        var pairs = tags
            .Select(t => (Name: PrometheusNaming.LabelName(t.Key), Value: PrometheusText.TagValue(t.Value)))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => g.Last())
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(name).Append("=\"");
            PrometheusText.AppendLabelValue(sb, value);
            sb.Append('"');
        }

        if (extraLabel is not null)
        {
            sb.Append(sb.Length > 0 ? "," : string.Empty).Append(extraLabel);
        }

        return sb.ToString();
    }
}
