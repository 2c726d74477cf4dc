namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Runs work items one at a time per key, in submission order, and at most <c>maxConcurrency</c> items at once
/// across keys. Items of a cancelled generation are skipped. An unexpected exception goes to <c>onError</c> and
/// drops the key's later items (the worker stops on it).
/// </summary>
internal sealed class KeyedScheduler(int maxConcurrency, Action<Exception> onError) : IDisposable
{
    private readonly Dictionary<string, Queue<Func<Task>>> _queues = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly ManualResetEventSlim _idle = new(true);
    private readonly Lock _lock = new();
    private int _pending;

    /// <summary>Items submitted and not finished.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(string key, Func<Task> work)
    {
        bool start;
        lock (_lock)
        {
            _pending++;
            _idle.Reset();
            if (_queues.TryGetValue(key, out var q))
            {
                q.Enqueue(work);
                start = false;
            }
            else
            {
                _queues[key] = q = new Queue<Func<Task>>();
                q.Enqueue(work);
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
        while (true)
        {
            Func<Task> work;
            lock (_lock)
            {
                var q = _queues[key];
                if (q.Count == 0)
                {
                    _queues.Remove(key);
                    return;
                }

                work = q.Peek();
            }

            var failed = false;
            await _slots.WaitAsync();
            try
            {
                await work();
            }
            catch (OperationCanceledException)
            {
                // the generation was revoked: the offset stays uncommitted and the record is read again
            }
            catch (Exception e)
            {
                failed = true;
                onError(e);
            }
            finally
            {
                _slots.Release();
                lock (_lock)
                {
                    var q = _queues[key];
                    q.Dequeue();
                    _pending--;
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
                }
            }
        }
    }
}
