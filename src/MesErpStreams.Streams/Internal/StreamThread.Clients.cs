using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>Client creation and shutdown.</summary>
internal sealed partial class StreamThread
{
    internal static Dictionary<string, string> BaseConfig(StreamsOptions options)
    {
        var config = new Dictionary<string, string>(options.Kafka);
        if (!string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            config["bootstrap.servers"] = options.BootstrapServers;
        }

        return config;
    }

    /// <summary>
    /// session.timeout.ms 10 s and heartbeat.interval.ms 3 s unless configured: a member killed without leaving holds
    /// its partitions for the session, and an eager rebalance started by its restart stalls the whole group that long
    /// (45–47 s per kill -9 with librdkafka's default, measured by the fault suite). Heartbeats come from librdkafka's
    /// own thread, so a busy stream thread does not expire the session (max.poll.interval.ms bounds that).
    /// </summary>
    private static void ApplyGroupTimeouts(ConsumerConfig config)
    {
        config.SessionTimeoutMs ??= 10_000;
        config.HeartbeatIntervalMs ??= 3_000;
    }

    private void CreateClients()
    {
        var consumerConfig = new ConsumerConfig(BaseConfig(_options))
        {
            GroupId = _options.ApplicationId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = false,
        };
        consumerConfig.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        consumerConfig.PartitionAssignmentStrategy ??= PartitionAssignmentStrategy.Range;
        ApplyGroupTimeouts(consumerConfig);
        if (consumerConfig.PartitionAssignmentStrategy == PartitionAssignmentStrategy.CooperativeSticky)
        {
            throw new InvalidOperationException("Streams:Kafka:partition.assignment.strategy cooperative-sticky is not supported; use range or roundrobin");
        }

        _consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsAssignedHandler((_, parts) => OnAssigned(parts))
            .SetPartitionsRevokedHandler((_, parts) => OnRevoked(parts))
            .SetPartitionsLostHandler((_, parts) => OnLost(parts))
            .SetErrorHandler((_, e) => OnClientError("consumer", e))
            .Build();

        _producer = BuildProducer();
        var changelogTopics = _topology.ChangelogTopics(_options.ApplicationId).ToHashSet();

        _collector = new KafkaCollector(_producer, changelogTopics, BeginTransactionIfNeeded, _logger, _exactlyOnce);
        _services = new TaskServices(_options.ApplicationId, _time, _logger, _deadLetter, _collector, _metrics, _globalTables);

        var restoreConfig = new ConsumerConfig(BaseConfig(_options))
        {
            GroupId = $"{_options.ApplicationId}-restore-{InstanceId}",
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        _restorer = new StoreRestorer(restoreConfig, _logger, _metrics, OnTaskRestored);
        if (_globalTables.Count > 0)
        {
            var globalConfig = new ConsumerConfig(BaseConfig(_options))
            {
                GroupId = $"{_options.ApplicationId}-global-{InstanceId}",
                EnableAutoCommit = false,
                IsolationLevel = IsolationLevel.ReadCommitted,
                EnablePartitionEof = true,
                AutoOffsetReset = AutoOffsetReset.Earliest,
            };
            _global = new GlobalTableRunner(globalConfig, _globalTables.Values, _logger);
        }

        if (_exactlyOnce)
        {
            _producer.InitTransactions(_options.OperationTimeout);
        }
    }

    private void OnClientError(string client, Error e)
    {
        if (e.IsFatal && client == "producer" && _exactlyOnce)
        {
            // Fenced, or an idempotence violation: the transaction is lost, the loop replaces the producer.
            _fatalProducerError = e;
            _logger.LogWarning("Fatal producer error {Code}: {Reason}; the producer will be replaced", e.Code, e.Reason);
        }
        else if (e.IsFatal)
        {
            _fatalClientError = e;
            _logger.LogCritical("Fatal {Client} error {Code}: {Reason}", client, e.Code, e.Reason);
        }
        else
        {
            _logger.LogWarning("{Client} error {Code}: {Reason}", client, e.Code, e.Reason);
        }
    }

    private void Shutdown()
    {
        _closing = true;
        if (_consumer is not null)
        {
            try
            {
                // Leaves the group; the revoke callback commits anything still open (unless fatal) and closes tasks.
                _consumer.Close();
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
            {
                _logger.LogWarning(ex, "Closing the consumer failed; the group will time the member out");
            }

            _consumer.Dispose();
        }

        foreach (var task in _tasks.Values)
        {
            task.Abort();
            task.Close();
        }

        _tasks.Clear();
        _restorer?.Dispose();
        _global?.Dispose();
        _producer?.Dispose();
    }

    private IBytesStore GetBytesStore(StoreDefinition definition, int partition)
    {
        if (!_bytesStores.TryGetValue((definition.Name, partition), out var store))
        {
            store = definition.CreateBytesStore(_options.StateDirectory, _options.ApplicationId, partition);
            _bytesStores[(definition.Name, partition)] = store;
        }

        return store;
    }
}
