namespace MesErpStreams.Streams.Internal;

/// <summary>
/// The write cache in front of a store partition: this transaction's writes (null = delete), readable at once,
/// logged to the changelog at commit, applied to the committed <see cref="IBytesStore"/> only after the transaction
/// commits and dropped on abort. A per-record undo journal lets a failed record leave no trace.
/// With <c>applyInBackground</c> (persistent stores at runtime), committed batches are written to the local
/// database by a background task while processing continues; until a batch is written it stays readable here, and
/// too large a backlog makes the commit wait (bounded memory).
/// </summary>
internal sealed class StoreCache(string name, IBytesStore inner, string? changelogTopic, int partition, bool applyInBackground = false)
{
    private const int MaxBacklogEntries = 200_000;
    private readonly object _gate = new();
    private readonly List<Dictionary<byte[], byte[]?>> _unapplied = [];
    private int _unappliedEntries;
    private Exception? _applyError;
    private Task _applying = Task.CompletedTask;

    private Dictionary<byte[], byte[]?> _dirty = new(ByteArrayComparer.Instance);
    private readonly List<(byte[] Key, bool HadDirty, byte[]? Previous)> _journal = [];
    private bool _journaling;

    public string Name { get; } = name;

    public string? ChangelogTopic { get; } = changelogTopic;

    public int Partition { get; } = partition;

    public IBytesStore Inner { get; } = inner;

    public int DirtyCount => _dirty.Count;

    public long ApproximateCount => Inner.Count + Volatile.Read(ref _unappliedEntries) + _dirty.Count;

    public bool TryGet(byte[] key, out byte[] value)
    {
        if (_dirty.TryGetValue(key, out var pending))
        {
            value = pending!;
            return pending is not null;
        }

        if (applyInBackground)
        {
            lock (_gate)
            {
                ThrowIfApplyFailed();
                for (var i = _unapplied.Count - 1; i >= 0; i--)
                {
                    if (_unapplied[i].TryGetValue(key, out pending))
                    {
                        value = pending!;
                        return pending is not null;
                    }
                }
            }
        }

        // A batch leaves _unapplied only after it is in Inner, so a key is always found in one of the two.
        return Inner.TryGet(key, out value);
    }

    public void Put(byte[] key, byte[]? value)
    {
        if (_journaling)
        {
            var had = _dirty.TryGetValue(key, out var previous);
            _journal.Add((key, had, previous));
        }

        _dirty[key] = value;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All()
    {
        var overlay = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
        lock (_gate)
        {
            foreach (var batch in _unapplied)
            {
                foreach (var (key, value) in batch)
                {
                    overlay[key] = value;
                }
            }
        }

        foreach (var (key, value) in _dirty)
        {
            overlay[key] = value;
        }

        foreach (var (key, value) in overlay)
        {
            if (value is not null)
            {
                yield return new(key, value);
            }
        }

        foreach (var entry in Inner.All())
        {
            if (!overlay.ContainsKey(entry.Key))
            {
                yield return entry;
            }
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]?>> DirtyEntries => _dirty;

    public void BeginRecord()
    {
        _journal.Clear();
        _journaling = true;
    }

    public void EndRecord()
    {
        _journal.Clear();
        _journaling = false;
    }

    public void RollbackRecord()
    {
        for (var i = _journal.Count - 1; i >= 0; i--)
        {
            var (key, had, previous) = _journal[i];
            if (had)
            {
                _dirty[key] = previous;
            }
            else
            {
                _dirty.Remove(key);
            }
        }

        EndRecord();
    }

    /// <summary>Logs this transaction's writes to the changelog partition of this task.</summary>
    public void Flush(IRecordCollector collector)
    {
        if (ChangelogTopic is null)
        {
            return;
        }

        // Only the last record needs a delivery report (its offset is the new checkpoint); a failed delivery of any
        // other record fails the transaction commit (exactly-once) or the flush (at-least-once) anyway.
        var remaining = _dirty.Count;
        foreach (var (key, value) in _dirty)
        {
            collector.SendChangelog(ChangelogTopic, Partition, key, value, reportDelivery: --remaining == 0);
        }
    }

    /// <summary>After the transaction committed: make the writes part of local committed state.</summary>
    public void ApplyCommitted(long? changelogNextOffset)
    {
        if (_dirty.Count == 0 && changelogNextOffset is null)
        {
            return;
        }

        if (!applyInBackground)
        {
            Inner.Apply(_dirty, changelogNextOffset);
            _dirty.Clear();
            return;
        }

        var batch = _dirty;
        _dirty = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
        lock (_gate)
        {
            ThrowIfApplyFailed();
            _unapplied.Add(batch);
            _unappliedEntries += batch.Count;
            _applying = _applying.ContinueWith(_ => ApplyInBackground(batch, changelogNextOffset), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            while (_unappliedEntries > MaxBacklogEntries && _applyError is null)
            {
                Monitor.Wait(_gate, 100);
            }
        }
    }

    /// <summary>Waits (bounded) until every committed batch is in the local database, e.g. before restoring or closing.</summary>
    /// <exception cref="TimeoutException">The database did not catch up in time.</exception>
    public void WaitUntilApplied(TimeSpan timeout)
    {
        if (!applyInBackground)
        {
            return;
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_unapplied.Count > 0 && _applyError is null)
            {
                if (Environment.TickCount64 > deadline)
                {
                    throw new TimeoutException($"store '{Name}' partition {Partition}: committed writes not applied locally within {timeout}");
                }

                Monitor.Wait(_gate, 100);
            }

            ThrowIfApplyFailed();
        }
    }

    private void ApplyInBackground(Dictionary<byte[], byte[]?> batch, long? changelogNextOffset)
    {
        Exception? error = null;
        try
        {
            Inner.Apply(batch, changelogNextOffset);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex;
        }

        lock (_gate)
        {
            _applyError ??= error;
            _unapplied.Remove(batch);
            _unappliedEntries -= batch.Count;
            Monitor.PulseAll(_gate);
        }
    }

    private void ThrowIfApplyFailed()
    {
        if (_applyError is { } error)
        {
            throw new InvalidOperationException($"store '{Name}' partition {Partition}: applying committed writes to local state failed: {error.Message}", error);
        }
    }

    public void Abort()
    {
        _dirty.Clear();
        EndRecord();
    }
}
