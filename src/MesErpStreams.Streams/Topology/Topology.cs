using System.Text;
using MesErpStreams.Streams.Internal;

namespace MesErpStreams.Streams;

/// <summary>An immutable, checked processing graph built by <see cref="TopologyBuilder"/>; run it with <see cref="StreamsInstance"/>.</summary>
public sealed class Topology
{
    private readonly NodeDefinition[] _nodes;
    private readonly StoreDefinition[] _stores;
    private readonly GlobalTableDefinition[] _globalTables;

    internal Topology(NodeDefinition[] nodes, StoreDefinition[] stores, GlobalTableDefinition[] globalTables)
    {
        _nodes = nodes;
        _stores = stores;
        _globalTables = globalTables;
    }

    /// <summary>Topics read by sources.</summary>
    public IReadOnlyList<string> SourceTopics => _nodes.OfType<SourceDefinition>().SelectMany(s => s.Topics).ToArray();

    /// <summary>Topics written by sinks.</summary>
    public IReadOnlyList<string> SinkTopics => _nodes.OfType<SinkDefinition>().Select(s => s.Topic).Distinct().ToArray();

    /// <summary>Topics read by global tables.</summary>
    public IReadOnlyList<string> GlobalTableTopics => _globalTables.Select(g => g.Topic).ToArray();

    internal IReadOnlyList<StoreDefinition> StoreDefinitions => _stores;

    internal IReadOnlyList<GlobalTableDefinition> GlobalTableDefinitions => _globalTables;

    /// <summary>
    /// Changelog topics an application needs: <c>{applicationId}-{store}-changelog</c> for each logged store. Create
    /// them compacted, with as many partitions as the source topics, before starting.
    /// </summary>
    public IReadOnlyList<string> ChangelogTopics(string applicationId) =>
        _stores.Where(s => s.Logged).Select(s => s.ChangelogTopic(applicationId)).ToArray();

    /// <summary>A printable description of sources, processors, sinks, stores and global tables.</summary>
    public string Describe()
    {
        var sb = new StringBuilder("Topology:\n");
        foreach (var node in _nodes)
        {
            var arrow = node.Children.Count > 0 ? $" --> {string.Join(", ", node.Children)}" : string.Empty;
            var from = node.Parents.Length > 0 ? $" <-- {string.Join(", ", node.Parents)}" : string.Empty;
            var what = node switch
            {
                SourceDefinition s => $"Source: {s.Name} (topics: [{string.Join(", ", s.Topics)}])",
                ProcessorDefinition p => $"Processor: {p.Name} (stores: [{string.Join(", ", p.Stores)}])",
                SinkDefinition k => $"Sink: {k.Name} (topic: {k.Topic})",
                _ => node.Name,
            };
            sb.Append("  ").Append(what).Append(arrow).Append(from).Append('\n');
        }

        foreach (var store in _stores)
        {
            sb.Append("  Store: ").Append(store.Name)
                .Append(" (").Append(store.Persistent ? "persistent" : "in-memory")
                .Append(store.Logged ? ", changelog" : ", no changelog")
                .Append(store.Retention is { } r ? $", retention {r}" : string.Empty)
                .Append(", <").Append(store.KeyType.Name).Append(", ").Append(store.ValueType.Name).Append(">)\n");
        }

        foreach (var table in _globalTables)
        {
            sb.Append("  Global table: ").Append(table.StoreName).Append(" (topic: ").Append(table.Topic).Append(")\n");
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Describe();

    /// <summary>
    /// Builds the task for <paramref name="partition"/>: node instances wired, stores attached, processors initialised
    /// unless <paramref name="initialize"/> is false. Then the caller calls <see cref="StreamTask.Initialize"/> once the
    /// stores are restored, because processors read their stores in <c>Init</c> (e.g. an index of what waits) and must
    /// see the restored state, not what the local store held before restoration.
    /// </summary>
    internal StreamTask CreateTask(int partition, TaskServices services, Func<StoreDefinition, IBytesStore> bytesStores, bool logged, bool backgroundApply = false,
        bool initialize = true)
    {
        var task = new StreamTask(partition, services);
        foreach (var store in _stores)
        {
            var changelog = logged && store.Logged ? store.ChangelogTopic(services.ApplicationId) : null;
            var cache = new StoreCache(store.Name, bytesStores(store), changelog, partition, backgroundApply && store.Persistent);
            task.AddStore(cache, store.CreateFacade(cache, task));
        }

        var instances = new Dictionary<string, NodeInstance>();
        foreach (var node in _nodes)
        {
            switch (node)
            {
                case ProcessorDefinition p:
                    instances[p.Name] = p.Create(task);
                    break;
                case SinkDefinition k:
                    instances[k.Name] = k.Create(task);
                    break;
            }
        }

        NodeInstance[] ChildrenOf(NodeDefinition n) => n.Children.Select(c => instances[c]).ToArray();
        foreach (var p in _nodes.OfType<ProcessorDefinition>())
        {
            p.Wire(instances[p.Name], ChildrenOf(p));
            task.AddNode(instances[p.Name]);
        }

        foreach (var s in _nodes.OfType<SourceDefinition>())
        {
            var source = s.Create(ChildrenOf(s));
            foreach (var topic in s.Topics)
            {
                task.AddSource(topic, source);
            }
        }

        task.PrepareInit(_stores.Where(s => s.Retention is not null).Select(s => (s.Name, s.PurgeInterval)));
        if (initialize)
        {
            task.Initialize();
        }

        return task;
    }

    internal Dictionary<string, GlobalTable> CreateGlobalTables() => _globalTables.ToDictionary(g => g.StoreName, g => g.Create());
}
