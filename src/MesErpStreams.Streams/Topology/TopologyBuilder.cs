using MesErpStreams.Streams.Internal;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams;

/// <summary>
/// Wires sources (topics + serdes), processors, state stores, sinks and global tables into a <see cref="Topology"/>.
/// Node names are unique; a child's input key/value types must equal its parent's output types (checked by
/// <see cref="Build"/>). All source topics must be co-partitioned: task <c>n</c> owns partition <c>n</c> of each.
/// </summary>
public sealed class TopologyBuilder
{
    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<StoreDefinition> _stores = [];
    private readonly List<GlobalTableDefinition> _globalTables = [];

    /// <summary>Adds a source reading <paramref name="topics"/> with the given serdes (deserializers used).</summary>
    public TopologyBuilder AddSource<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde, params string[] topics)
    {
        ArgumentNullException.ThrowIfNull(keySerde);
        ArgumentNullException.ThrowIfNull(valueSerde);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Length == 0 || topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new TopologyException($"source '{name}' needs at least one topic and no empty names");
        }

        if (!keySerde.CanDeserialize || !valueSerde.CanDeserialize)
        {
            throw new TopologyException($"source '{name}' needs key and value deserializers");
        }

        foreach (var topic in topics)
        {
            if (_nodes.OfType<SourceDefinition>().FirstOrDefault(s => s.Topics.Contains(topic)) is { } other)
            {
                throw new TopologyException($"topic '{topic}' is already read by source '{other.Name}'");
            }
        }

        return AddNode(new SourceDefinition<TKey, TValue>(name, topics, keySerde, valueSerde));
    }

    /// <summary>Adds a processor (one instance per task from <paramref name="factory"/>) fed by the named parents.</summary>
    public TopologyBuilder AddProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
        string name, Func<IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>> factory, params string[] parentNames)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return AddNode(new ProcessorDefinition<TKeyIn, TValueIn, TKeyOut, TValueOut>(name, RequireParents(name, parentNames), factory));
    }

    /// <summary>Adds a sink writing to <paramref name="topic"/> with the given serdes (serializers used).</summary>
    public TopologyBuilder AddSink<TKey, TValue>(string name, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde, params string[] parentNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keySerde);
        ArgumentNullException.ThrowIfNull(valueSerde);
        if (!keySerde.CanSerialize || !valueSerde.CanSerialize)
        {
            throw new TopologyException($"sink '{name}' needs key and value serializers");
        }

        return AddNode(new SinkDefinition<TKey, TValue>(name, RequireParents(name, parentNames), topic, keySerde, valueSerde));
    }

    /// <summary>Adds a state store, connected to the named processors (each task gets its own partition of it).</summary>
    public TopologyBuilder AddStateStore<TKey, TValue>(StoreBuilder<TKey, TValue> store, params string[] processorNames)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(processorNames);
        if (_stores.Any(s => s.Name == store.Name) || _globalTables.Any(g => g.StoreName == store.Name))
        {
            throw new TopologyException($"a store named '{store.Name}' already exists");
        }

        var definition = store.ToDefinition();
        definition.Processors.AddRange(processorNames);
        _stores.Add(definition);
        return this;
    }

    /// <summary>
    /// Adds a global table: every instance reads the whole (compacted) <paramref name="topic"/> into a read-only
    /// store named <paramref name="storeName"/>, bootstrapped before processing starts and kept current.
    /// </summary>
    public TopologyBuilder AddGlobalTable<TKey, TValue>(string storeName, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keySerde);
        ArgumentNullException.ThrowIfNull(valueSerde);
        if (_stores.Any(s => s.Name == storeName) || _globalTables.Any(g => g.StoreName == storeName))
        {
            throw new TopologyException($"a store named '{storeName}' already exists");
        }

        if (!keySerde.CanDeserialize || !valueSerde.CanDeserialize)
        {
            throw new TopologyException($"global table '{storeName}' needs key and value deserializers");
        }

        _globalTables.Add(new GlobalTableDefinition<TKey, TValue>(storeName, topic, keySerde, valueSerde));
        return this;
    }

    /// <summary>Checks the wiring and returns the immutable topology.</summary>
    /// <exception cref="TopologyException">Unknown parent or store processor, type mismatch, no source, a processor without parents.</exception>
    public Topology Build()
    {
        if (!_nodes.OfType<SourceDefinition>().Any())
        {
            throw new TopologyException("a topology needs at least one source");
        }

        var byName = _nodes.ToDictionary(n => n.Name);
        foreach (var node in _nodes)
        {
            node.Children.Clear();
        }

        foreach (var node in _nodes)
        {
            foreach (var parentName in node.Parents)
            {
                if (!byName.TryGetValue(parentName, out var parent))
                {
                    throw new TopologyException($"node '{node.Name}' names unknown parent '{parentName}'");
                }

                if (parent is SinkDefinition)
                {
                    throw new TopologyException($"node '{node.Name}' cannot have sink '{parentName}' as parent");
                }

                if (parent.Output != node.Input)
                {
                    throw new TopologyException(
                        $"node '{node.Name}' takes {Describe(node.Input)} but parent '{parentName}' emits {Describe(parent.Output)}");
                }

                parent.Children.Add(node.Name);
            }
        }

        foreach (var store in _stores)
        {
            foreach (var processorName in store.Processors)
            {
                if (!byName.TryGetValue(processorName, out var node) || node is not ProcessorDefinition processor)
                {
                    throw new TopologyException($"store '{store.Name}' is connected to '{processorName}', which is not a processor");
                }

                processor.Stores.Add(store.Name);
            }
        }

        return new Topology([.. _nodes], [.. _stores], [.. _globalTables]);
    }

    private static string Describe((Type Key, Type Value)? types) => types is { } t ? $"<{t.Key.Name}, {t.Value.Name}>" : "nothing";

    private TopologyBuilder AddNode(NodeDefinition node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node.Name, "name");
        if (_nodes.Any(n => n.Name == node.Name))
        {
            throw new TopologyException($"a node named '{node.Name}' already exists");
        }

        _nodes.Add(node);
        return this;
    }

    private static string[] RequireParents(string name, string[] parentNames)
    {
        ArgumentNullException.ThrowIfNull(parentNames);
        return parentNames.Length == 0 ? throw new TopologyException($"node '{name}' needs at least one parent") : parentNames;
    }
}
