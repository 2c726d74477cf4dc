namespace MesErpStreams.Sink.Internal;

/// <summary>
/// Offsets of one partition in flight: tracked in consumption order, completed in any order. The committable
/// offset is the lowest one not yet complete (or one past the last tracked), so a commit never covers work that
/// is not durable. Thread-safe.
/// </summary>
internal sealed class PartitionOffsets
{
    private readonly Queue<long> _order = new();
    private readonly HashSet<long> _done = [];
    private readonly Lock _lock = new();
    private long _next = -1;
    private long _committed = -1;

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    public void Track(long offset)
    {
        lock (_lock)
        {
            if (offset < _next)
            {
                throw new InvalidOperationException($"offset {offset} tracked after {_next - 1}: offsets must arrive in order");
            }

            _order.Enqueue(offset);
            _next = offset + 1;
        }
    }

    public void Complete(long offset)
    {
        lock (_lock)
        {
            _done.Add(offset);
            while (_order.Count > 0 && _done.Remove(_order.Peek()))
            {
                _order.Dequeue();
            }
        }
    }

    /// <summary>The offset to commit if it advanced since the last <see cref="MarkCommitted"/>; otherwise null.</summary>
    public long? Committable()
    {
        lock (_lock)
        {
            if (_next < 0)
            {
                return null;
            }

            var c = _order.Count > 0 ? _order.Peek() : _next;
            return c > _committed ? c : null;
        }
    }

    public void MarkCommitted(long offset)
    {
        lock (_lock)
        {
            _committed = Math.Max(_committed, offset);
        }
    }
}
