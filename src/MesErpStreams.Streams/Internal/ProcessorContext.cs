namespace MesErpStreams.Streams.Internal;

internal sealed class ProcessorContext<TKeyOut, TValueOut>(StreamTask task, string nodeName, IReadOnlySet<string> connectedStores)
    : IProcessorContext<TKeyOut, TValueOut>
{
    private InputNode<TKeyOut, TValueOut>[] _children = [];

    public string ApplicationId => task.ApplicationId;

    public int TaskPartition => task.Partition;

    public RecordOrigin? RecordOrigin => task.CurrentOrigin;

    public DateTimeOffset StreamTime => task.StreamTimeMs == long.MinValue ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds(task.StreamTimeMs);

    public DateTimeOffset WallClockTime => task.Time.GetUtcNow();

    internal void SetChildren(InputNode<TKeyOut, TValueOut>[] children) => _children = children;

    public void Forward(Record<TKeyOut, TValueOut> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var child in _children)
        {
            child.Process(record);
        }
    }

    public void Forward(Record<TKeyOut, TValueOut> record, string childName)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var child in _children)
        {
            if (child.Name == childName)
            {
                child.Process(record);
                return;
            }
        }

        throw new ArgumentException($"processor '{nodeName}' has no child named '{childName}'", nameof(childName));
    }

    public TStore GetStateStore<TStore>(string name)
        where TStore : class
    {
        object? store = connectedStores.Contains(name) ? task.GetStore(name) : task.GetGlobalStore(name);
        return store switch
        {
            null => throw new InvalidOperationException($"processor '{nodeName}' is not connected to a store named '{name}' and there is no global table of that name"),
            TStore typed => typed,
            _ => throw new InvalidOperationException($"store '{name}' is a {store.GetType().Name}, not a {typeof(TStore).Name}"),
        };
    }

    public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(callback);
        return task.Schedule(nodeName, interval, type, callback);
    }

    public IDisposable SubscribeToGlobalTable<TKey, TValue>(string storeName, Action<TKey, TValue?> onChange)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(onChange);
        return task.GetGlobalStore(storeName) switch
        {
            GlobalTable<TKey, TValue> table => table.Subscribe(task, nodeName, onChange),
            null => throw new InvalidOperationException($"there is no global table named '{storeName}'"),
            var other => throw new InvalidOperationException($"global table '{storeName}' is a {other.GetType().Name}, not keyed {typeof(TKey).Name} with {typeof(TValue).Name} values"),
        };
    }

    public void RequestCommit() => task.CommitRequested = true;
}
