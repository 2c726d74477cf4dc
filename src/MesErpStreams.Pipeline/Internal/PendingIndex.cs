namespace MesErpStreams.Pipeline.Internal;

/// <summary>
/// In-memory index over the pending store of one task: per ordering key, the waiting events in arrival order
/// (the head waits for master data, the rest wait behind it); per master-data key, the ordering keys whose head
/// waits for it. Rebuilt from the store at start, so it needs no changelog of its own.
/// </summary>
internal sealed class PendingIndex
{
    private readonly Dictionary<string, SortedDictionary<long, PendingEvent>> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _waiters = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public long NextSequence { get; private set; }

    public IEnumerable<string> OrderingKeys => _chains.Keys;

    /// <summary>The master-data keys some chain's head waits for.</summary>
    public IEnumerable<string> MasterKeysWaitedFor => _waiters.Keys;

    public bool HasChain(string orderingKey) => _chains.ContainsKey(orderingKey);

    /// <summary>How many events of <paramref name="orderingKey"/> wait (the head and those behind it).</summary>
    public int ChainLength(string orderingKey) => _chains.TryGetValue(orderingKey, out var chain) ? chain.Count : 0;

    /// <summary>Forgets everything (before a rebuild from the store).</summary>
    public void Clear()
    {
        _chains.Clear();
        _waiters.Clear();
        Count = 0;
    }

    public void Add(PendingEvent p)
    {
        var key = p.Key;
        if (!_chains.TryGetValue(key, out var chain))
        {
            chain = [];
            _chains[key] = chain;
        }

        chain[p.Sequence] = p;
        Count++;
        NextSequence = Math.Max(NextSequence, p.Sequence + 1);
        if (p.WaitingFor is { } w)
        {
            Waiters(w).Add(key);
        }
    }

    public PendingEvent? Head(string orderingKey) =>
        _chains.TryGetValue(orderingKey, out var chain) && chain.Count > 0 ? chain.First().Value : null;

    /// <summary>Replaces the head's entry (e.g. it now waits for something else).</summary>
    public void UpdateHead(PendingEvent previous, PendingEvent updated)
    {
        var key = previous.Key;
        if (previous.WaitingFor is { } before)
        {
            Unwait(before, key);
        }

        _chains[key][updated.Sequence] = updated;
        if (updated.WaitingFor is { } after)
        {
            Waiters(after).Add(key);
        }
    }

    public void RemoveHead(PendingEvent head)
    {
        var key = head.Key;
        var chain = _chains[key];
        chain.Remove(head.Sequence);
        Count--;
        if (head.WaitingFor is { } w)
        {
            Unwait(w, key);
        }

        if (chain.Count == 0)
        {
            _chains.Remove(key);
        }
    }

    /// <summary>Ordering keys whose head waits for <paramref name="masterKey"/>; the entry is consumed.</summary>
    public IReadOnlyCollection<string> TakeWaiters(string masterKey) =>
        _waiters.Remove(masterKey, out var keys) ? keys : [];

    /// <summary>Arrival time of the oldest waiting event, or null when none waits.</summary>
    public long? OldestArrivalMs()
    {
        long? oldest = null;
        foreach (var chain in _chains.Values)
        {
            foreach (var p in chain.Values)
            {
                oldest = oldest is null ? p.ArrivedAtMs : Math.Min(oldest.Value, p.ArrivedAtMs);
            }
        }

        return oldest;
    }

    private HashSet<string> Waiters(string masterKey)
    {
        if (!_waiters.TryGetValue(masterKey, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _waiters[masterKey] = set;
        }

        return set;
    }

    private void Unwait(string masterKey, string orderingKey)
    {
        if (_waiters.TryGetValue(masterKey, out var set) && set.Remove(orderingKey) && set.Count == 0)
        {
            _waiters.Remove(masterKey);
        }
    }
}
