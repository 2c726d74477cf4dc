using Confluent.Kafka;
using MesErpStreams.Streams.Internal;
using MesErpStreams.Streams.State;
using MesErpStreams.Streams.TestUtils.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesErpStreams.Streams.TestUtils;

/// <summary>
/// Runs a <see cref="Topology"/> synchronously without a broker (like Kafka's <c>TopologyTestDriver</c>): one task
/// (partition 0) processes each piped record and commits at once, so outputs, store contents and changelog records
/// are visible immediately. Uses the same task, store, punctuation and dead-letter code as the Kafka runtime.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly TopologyTestDriverOptions _options;
    private readonly DriverCollector _collector = new();
    private readonly Dictionary<string, GlobalTable> _globalTables;
    private readonly Dictionary<string, IBytesStore> _bytesStores = [];
    private readonly StreamsMetrics _metrics;
    private readonly string _stateDirectory;
    private readonly bool _ownsStateDirectory;
    private readonly StreamTask _task;
    private readonly Dictionary<string, long> _inputOffsets = [];

    /// <summary>Creates the driver and initialises the task (processors' <c>Init</c> runs here).</summary>
    /// <exception cref="ArgumentException">Invalid dead-letter options.</exception>
    public TopologyTestDriver(Topology topology, TopologyTestDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _topology = topology;
        _options = options ?? new TopologyTestDriverOptions();
        var errors = _options.DeadLetter.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        Time = _options.Time ?? new FakeTimeProvider();
        _ownsStateDirectory = _options.StateDirectory is null;
        _stateDirectory = _options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "meserp-driver-" + Guid.NewGuid().ToString("N"));
        _globalTables = topology.CreateGlobalTables();
        _metrics = new StreamsMetrics(_options.ApplicationId);
        var services = new TaskServices(_options.ApplicationId, Time, NullLogger.Instance, _options.DeadLetter, _collector, _metrics, _globalTables);
        _task = topology.CreateTask(0, services, CreateBytesStore, logged: true);
    }

    /// <summary>The driver's clock; advance it with <see cref="AdvanceWallClockTime"/>.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The task's stream time.</summary>
    public DateTimeOffset StreamTime => _task.StreamTimeMs == long.MinValue ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds(_task.StreamTimeMs);

    /// <summary>Creates a handle to pipe records into a source or global-table topic.</summary>
    public TestInputTopic<TKey, TValue> CreateInputTopic<TKey, TValue>(string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde)
    {
        if (!_topology.SourceTopics.Contains(topic) && !_topology.GlobalTableTopics.Contains(topic))
        {
            throw new ArgumentException($"'{topic}' is neither a source nor a global-table topic of the topology", nameof(topic));
        }

        return new TestInputTopic<TKey, TValue>(this, topic, keySerde, valueSerde);
    }

    /// <summary>Creates a handle to read records written to a topic (sink, dead-letter or changelog topic).</summary>
    public TestOutputTopic<TKey, TValue> CreateOutputTopic<TKey, TValue>(string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde) =>
        new(this, topic, keySerde, valueSerde);

    /// <summary>Everything written to a topic so far, as bytes (read or not).</summary>
    public IReadOnlyList<TestRecord> ReadAllRaw(string topic) => _collector.Topic(topic).ToArray();

    /// <summary>The task's store of that name.</summary>
    /// <exception cref="InvalidOperationException">No such store or other types.</exception>
    public IKeyValueStore<TKey, TValue> GetKeyValueStore<TKey, TValue>(string name) =>
        _task.GetStore(name) as IKeyValueStore<TKey, TValue>
        ?? throw new InvalidOperationException($"no key-value store '{name}' of <{typeof(TKey).Name}, {typeof(TValue).Name}>");

    /// <summary>The global table of that name.</summary>
    public IReadOnlyKeyValueStore<TKey, TValue> GetGlobalTable<TKey, TValue>(string name) =>
        _globalTables.GetValueOrDefault(name) as IReadOnlyKeyValueStore<TKey, TValue>
        ?? throw new InvalidOperationException($"no global table '{name}' of <{typeof(TKey).Name}, {typeof(TValue).Name}>");

    /// <summary>Advances wall-clock time and fires due wall-clock punctuations (then commits).</summary>
    public void AdvanceWallClockTime(TimeSpan delta)
    {
        Time.Advance(delta);
        Await(_task.PunctuateWallClockAsync());
        Commit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _task.Close();
        foreach (var store in _bytesStores.Values)
        {
            store.Dispose();
        }

        _metrics.Dispose();
        if (_ownsStateDirectory && Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    internal void PipeRaw(string topic, byte[]? key, byte[]? value, DateTimeOffset? timestamp, Headers? headers)
    {
        var offset = _inputOffsets.GetValueOrDefault(topic);
        _inputOffsets[topic] = offset + 1;
        var ts = timestamp ?? Time.GetUtcNow();
        var raw = new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, offset),
            Message = new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers ?? [], Timestamp = new Timestamp(ts) },
        };
        if (_globalTables.Values.FirstOrDefault(g => g.Topic == topic) is { } table)
        {
            Await(table.ApplyAsync(raw, notify: true));
        }
        else
        {
            try
            {
                Await(_task.ProcessAsync(raw));
            }
            catch
            {
                // Like the runtime: a failed transaction leaves no trace.
                _task.Abort();
                throw;
            }
        }

        Commit();
    }

    internal int Unread(string topic) => _collector.Topic(topic).Count - _collector.ReadPositions.GetValueOrDefault(topic);

    internal TestRecord? ReadNext(string topic)
    {
        var list = _collector.Topic(topic);
        var pos = _collector.ReadPositions.GetValueOrDefault(topic);
        if (pos >= list.Count)
        {
            return null;
        }

        _collector.ReadPositions[topic] = pos + 1;
        return list[pos];
    }

    // Test utilities may wait synchronously: the driver's API is synchronous by design, and async serdes
    // (schema-registry clients) complete on the thread pool without needing this thread.
    internal static T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();

    internal static void Await(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private void Commit()
    {
        _task.FlushStores();
        _task.CommitCompleted();
    }

    private IBytesStore CreateBytesStore(StoreDefinition definition)
    {
        var store = definition.CreateBytesStore(_stateDirectory, _options.ApplicationId, 0);
        _bytesStores[definition.Name] = store;
        return store;
    }
}
