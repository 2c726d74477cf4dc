namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Which keys have commands waiting in which retry tier. Ordering rule ("route followers behind"): a command for a
/// key that has commands parked in a tier above the one it was read from is not posted but forwarded to the lowest
/// such tier, behind the parked ones (same key, same partition number: the retry topic keeps their order). Older
/// commands of a key are therefore always in the same or a higher tier than newer ones, and a key's commands reach
/// the ERP in command order. Tier 0 is the command topic. Thread-safe.
/// </summary>
internal sealed class ParkedKeys(int tiers)
{
    private readonly Dictionary<string, int[]> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Tiers => tiers;

    public int KeyCount
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count;
            }
        }
    }

    /// <summary>The tier a command of <paramref name="key"/> read from <paramref name="fromTier"/> must be forwarded to, or null to post it.</summary>
    public int? RouteTier(string key, int fromTier)
    {
        lock (_lock)
        {
            if (!_counts.TryGetValue(key, out var c))
            {
                return null;
            }

            for (var t = fromTier + 1; t <= tiers; t++)
            {
                if (c[t] > 0)
                {
                    return t;
                }
            }

            return null;
        }
    }

    public void Add(string key, int tier)
    {
        Check(tier);
        lock (_lock)
        {
            if (!_counts.TryGetValue(key, out var c))
            {
                _counts[key] = c = new int[tiers + 1];
            }

            c[tier]++;
        }
    }

    /// <summary>A command of the key left <paramref name="tier"/> (posted, moved on or dead-lettered). Tier 0 is ignored.</summary>
    public void Remove(string key, int tier)
    {
        if (tier == 0)
        {
            return;
        }

        Check(tier);
        lock (_lock)
        {
            if (_counts.TryGetValue(key, out var c) && c[tier] > 0)
            {
                c[tier]--;
                if (Array.TrueForAll(c, n => n == 0))
                {
                    _counts.Remove(key);
                }
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _counts.Clear();
        }
    }

    private void Check(int tier)
    {
        if (tier < 1 || tier > tiers)
        {
            throw new ArgumentOutOfRangeException(nameof(tier), tier, $"tier must be 1..{tiers}");
        }
    }
}
