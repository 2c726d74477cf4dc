namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Runs the items of one key in submission order, handing the handler everything the key has queued (up to
/// <c>maxGroup</c> items) as one group, so a backlog of one order goes out in one ERP call; one group per key at a
/// time, at most <c>maxConcurrency</c> groups at once across keys. An <see cref="OperationCanceledException"/> drops
/// the group (a revoked generation: its records are read again). Any other exception goes to <c>onError</c> and also
/// drops the key's later items (the worker stops on it). The handler marks each item done itself, as it becomes durable.
/// </summary>
internal sealed class KeyedScheduler<T>(int maxConcurrency, int maxGroup, Func<IReadOnlyList<T>, Task> handler, Action<Exception> onError) : IDisposable
{
    private readonly Dictionary<string, Queue<T>> _queues = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly ManualResetEventSlim _idle = new(true);
    private readonly Lock _lock = new();
    private int _pending;

    /// <summary>Items submitted and not finished.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(string key, T item)
    {
        bool start;
        lock (_lock)
        {
            _pending++;
            _idle.Reset();
            if (_queues.TryGetValue(key, out var q))
            {
                q.Enqueue(item);
                start = false;
            }
            else
            {
                _queues[key] = q = new Queue<T>();
                q.Enqueue(item);
                start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(() => DrainAsync(key));
        }
    }

    /// <summary>Blocks the calling (consumer) thread until every submitted item finished, or the timeout passed.</summary>
    public bool WaitIdle(TimeSpan timeout) => _idle.Wait(timeout);

    public void Dispose()
    {
        _slots.Dispose();
        _idle.Dispose();
    }

    private async Task DrainAsync(string key)
    {
        var group = new List<T>(Math.Min(maxGroup, 16));
        while (true)
        {
            await _slots.WaitAsync();
            var failed = false;
            try
            {
                // Taken after the slot: whatever queued up meanwhile joins the group.
                lock (_lock)
                {
                    var q = _queues[key];
                    group.Clear();
                    while (group.Count < maxGroup && q.TryDequeue(out var item))
                    {
                        group.Add(item);
                    }
                }

                await handler(group);
            }
            catch (OperationCanceledException)
            {
                // the generation was revoked: the offsets stay uncommitted and the records are read again
            }
            catch (Exception e)
            {
                failed = true;
                onError(e);
            }
            finally
            {
                _slots.Release();
            }

            lock (_lock)
            {
                var q = _queues[key];
                _pending -= group.Count;
                if (failed)
                {
                    // Later items of the key must not overtake the failed one: drop them (their offsets stay
                    // uncommitted, so they are read again after the worker restarts).
                    _pending -= q.Count;
                    q.Clear();
                }

                if (_pending == 0)
                {
                    _idle.Set();
                }

                if (q.Count == 0)
                {
                    _queues.Remove(key);
                    return;
                }
            }
        }
    }
}
