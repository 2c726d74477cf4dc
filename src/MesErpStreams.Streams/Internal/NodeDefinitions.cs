namespace MesErpStreams.Streams.Internal;

internal abstract class NodeDefinition(string name, string[] parents)
{
    public string Name { get; } = name;

    public string[] Parents { get; } = parents;

    public List<string> Children { get; } = [];

    public abstract (Type Key, Type Value)? Input { get; }

    public abstract (Type Key, Type Value)? Output { get; }
}

internal abstract class SourceDefinition(string name, string[] topics) : NodeDefinition(name, [])
{
    public string[] Topics { get; } = topics;

    public override (Type Key, Type Value)? Input => null;

    public abstract SourceNode Create(NodeInstance[] children);
}

internal sealed class SourceDefinition<TKey, TValue>(string name, string[] topics, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    : SourceDefinition(name, topics)
{
    public override (Type Key, Type Value)? Output => (typeof(TKey), typeof(TValue));

    public override SourceNode Create(NodeInstance[] children) =>
        new SourceNode<TKey, TValue>(Name, keySerde, valueSerde, children.Cast<InputNode<TKey, TValue>>().ToArray());
}

internal abstract class ProcessorDefinition(string name, string[] parents) : NodeDefinition(name, parents)
{
    public HashSet<string> Stores { get; } = [];

    public abstract NodeInstance Create(StreamTask task);

    public abstract void Wire(NodeInstance instance, NodeInstance[] children);
}

internal sealed class ProcessorDefinition<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    string name, string[] parents, Func<IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>> factory)
    : ProcessorDefinition(name, parents)
{
    public override (Type Key, Type Value)? Input => (typeof(TKeyIn), typeof(TValueIn));

    public override (Type Key, Type Value)? Output => (typeof(TKeyOut), typeof(TValueOut));

    public override NodeInstance Create(StreamTask task)
    {
        var processor = factory() ?? throw new TopologyException($"the factory of processor '{Name}' returned null");
        return new ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(Name, processor, new ProcessorContext<TKeyOut, TValueOut>(task, Name, Stores));
    }

    public override void Wire(NodeInstance instance, NodeInstance[] children) =>
        ((ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>)instance).Context.SetChildren(children.Cast<InputNode<TKeyOut, TValueOut>>().ToArray());
}

internal abstract class SinkDefinition(string name, string[] parents, string topic) : NodeDefinition(name, parents)
{
    public string Topic { get; } = topic;

    public override (Type Key, Type Value)? Output => null;

    public abstract NodeInstance Create(StreamTask task);
}

internal sealed class SinkDefinition<TKey, TValue>(string name, string[] parents, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    : SinkDefinition(name, parents, topic)
{
    public override (Type Key, Type Value)? Input => (typeof(TKey), typeof(TValue));

    public override NodeInstance Create(StreamTask task) => new SinkNode<TKey, TValue>(Name, Topic, keySerde, valueSerde, task.Outputs);
}

internal abstract class GlobalTableDefinition(string storeName, string topic)
{
    public string StoreName { get; } = storeName;

    public string Topic { get; } = topic;

    public abstract GlobalTable Create();
}

internal sealed class GlobalTableDefinition<TKey, TValue>(string storeName, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    : GlobalTableDefinition(storeName, topic)
    where TKey : notnull
{
    public override GlobalTable Create() => new GlobalTable<TKey, TValue>(StoreName, Topic, keySerde, valueSerde);
}
