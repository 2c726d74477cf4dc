using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.Internal;

internal abstract class StoreDefinition
{
    public abstract string Name { get; }

    public abstract bool Persistent { get; }

    public abstract bool Logged { get; }

    public abstract TimeSpan? Retention { get; }

    public abstract TimeSpan PurgeInterval { get; }

    public Type KeyType { get; protected init; } = typeof(object);

    public Type ValueType { get; protected init; } = typeof(object);

    public List<string> Processors { get; } = [];

    public string ChangelogTopic(string applicationId) => $"{applicationId}-{Name}-changelog";

    public IBytesStore CreateBytesStore(string? stateDirectory, string applicationId, int partition) =>
        Persistent
            ? new SqliteBytesStore(Path.Combine(stateDirectory ?? throw new InvalidOperationException("persistent stores need a state directory"), applicationId, $"{partition}", $"{Name}.db"), Retention is not null)
            : new InMemoryBytesStore(Retention is not null);

    public abstract object CreateFacade(StoreCache cache, ITaskClock clock);
}

internal sealed class StoreDefinition<TKey, TValue> : StoreDefinition
{
    private readonly StoreBuilder<TKey, TValue> _builder;

    public StoreDefinition(StoreBuilder<TKey, TValue> builder)
    {
        _builder = builder;
        KeyType = typeof(TKey);
        ValueType = typeof(TValue);
    }

    public override string Name => _builder.Name;

    public override bool Persistent => _builder.Persistent;

    public override bool Logged => _builder.Logged;

    public override TimeSpan? Retention => _builder.Retention;

    public override TimeSpan PurgeInterval => _builder.PurgeInterval;

    public override object CreateFacade(StoreCache cache, ITaskClock clock) =>
        new KeyValueStoreFacade<TKey, TValue>(cache, _builder.KeySerde, _builder.ValueSerde, clock, _builder.Retention);
}
