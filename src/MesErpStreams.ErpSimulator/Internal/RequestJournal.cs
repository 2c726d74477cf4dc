namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>Bounded in-memory journal of posting requests (newest <see cref="Capacity"/>), for tests and diagnostics.</summary>
internal sealed class RequestJournal
{
    public const int Capacity = 10_000;
    private readonly Queue<JournalEntry> _entries = new();
    private readonly Lock _lock = new();

    public void Add(JournalEntry entry)
    {
        lock (_lock)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>Adds the entries of one batch under one lock (they stay together and in order).</summary>
    public void AddRange(IEnumerable<JournalEntry> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                if (_entries.Count == Capacity)
                {
                    _entries.Dequeue();
                }

                _entries.Enqueue(entry);
            }
        }
    }

    public List<JournalEntry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
