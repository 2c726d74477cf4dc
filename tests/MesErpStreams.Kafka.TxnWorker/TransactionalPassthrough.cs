using Confluent.Kafka;

namespace MesErpStreams.Kafka.TxnWorker;

/// <summary>Settings of a <see cref="TransactionalPassthrough"/>.</summary>
public sealed record PassthroughOptions(string BootstrapServers, string Input, string Output, string Group)
{
    /// <summary>Transactional id; default <c>{Group}-tx</c>.</summary>
    public string? TransactionalId { get; init; }

    /// <summary>Inputs per transaction (at most).</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>How long a transaction stays open after producing its outputs, before its offsets and commit.</summary>
    public TimeSpan HoldBeforeCommit { get; init; }

    /// <summary><c>transaction.timeout.ms</c>.</summary>
    public int TransactionTimeoutMs { get; init; } = 30000;

    /// <summary><c>session.timeout.ms</c> of the consumer; null = librdkafka's default (45 s).</summary>
    public int? SessionTimeoutMs { get; init; }

    /// <summary>
    /// Called with a transaction's inputs after their outputs were produced and acknowledged, before the offsets and
    /// the commit; an exception it throws aborts the transaction (the inputs are then processed again from the last
    /// committed offset).
    /// </summary>
    public Action<IReadOnlyList<ConsumeResult<string, string>>>? BeforeCommit { get; init; }

    /// <summary>Called with the number of inputs in a transaction that is about to commit.</summary>
    public Action<int>? OnOpen { get; init; }

    /// <summary>Called with the total of inputs committed so far.</summary>
    public Action<long>? OnCommitted { get; init; }
}

/// <summary>
/// A minimal consume-transform-produce loop written directly on Confluent.Kafka (the EOS v2 pattern): input offsets
/// are committed only through the transaction (<c>SendOffsetsToTransaction</c>), never by the consumer. It proves that
/// the native client and the embedded cluster give exactly-once results; the streams runtime is the product's version.
/// </summary>
public sealed class TransactionalPassthrough : IDisposable
{
    private readonly PassthroughOptions _options;
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _committed;
    private long _aborted;

    /// <summary>Starts the loop: initialises the transactional producer (fencing a previous one) and subscribes.</summary>
    public TransactionalPassthrough(PassthroughOptions options)
    {
        _options = options;
        _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers, GroupId = options.Group, AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false, IsolationLevel = IsolationLevel.ReadCommitted, SessionTimeoutMs = options.SessionTimeoutMs,
        }).SetLogHandler((_, m) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} consumer {m.Level} {m.Facility} {m.Message}"))
          .SetErrorHandler((_, e) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} consumer error {e}")).Build();
        _producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers, TransactionalId = options.TransactionalId ?? TransactionalIdOf(options.Group),
            EnableIdempotence = true, LingerMs = 5, TransactionTimeoutMs = options.TransactionTimeoutMs,
        }).SetLogHandler((_, m) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} producer {m.Level} {m.Facility} {m.Message}"))
          .SetErrorHandler((_, e) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} producer error {e}")).Build();
        _producer.InitTransactions(TimeSpan.FromSeconds(30));
        _consumer.Subscribe(options.Input);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    /// <summary>Convenience constructor with default options.</summary>
    public TransactionalPassthrough(string bootstrap, string input, string output, string group)
        : this(new PassthroughOptions(bootstrap, input, output, group))
    {
    }

    /// <summary>Client log lines and loop events, for diagnostics.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Inputs committed so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Transactions aborted so far.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    /// <summary>The default transactional id of a group.</summary>
    public static string TransactionalIdOf(string group) => group + "-tx";

    /// <summary>What ended the loop, if it failed.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Position and high watermark per assigned partition.</summary>
    public string Diagnostics() => string.Join("; ", _consumer.Assignment.Select(tp =>
        $"{tp.Partition.Value}: position {_consumer.Position(tp)}, high {_consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High}"));

    /// <summary>Stops after the current transaction and closes the consumer (leaving the group).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        if (!_loop.Wait(TimeSpan.FromSeconds(30)))
        {
            // The loop is stuck inside a native call: disposing the clients under it would crash or hang the test
            // host. Leak them (the loop runs on a background thread) and let the test fail on its own assertion.
            return;
        }

        _consumer.Dispose();
        _producer.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var batch = new List<ConsumeResult<string, string>>();
                var r = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                while (r is not null)
                {
                    batch.Add(r);
                    if (batch.Count == _options.BatchSize)
                    {
                        break;
                    }

                    r = _consumer.Consume(TimeSpan.Zero);
                }

                if (batch.Count > 0)
                {
                    ProcessBatch(batch);
                }
            }

            _consumer.Close();
        }
        catch (Exception e)
        {
            Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} loop failed: {e}");
            Failure = e;
        }
    }

    private void ProcessBatch(List<ConsumeResult<string, string>> batch)
    {
        _producer.BeginTransaction();
        try
        {
            foreach (var r in batch)
            {
                _producer.Produce(_options.Output, new Message<string, string> { Key = r.Message.Key, Value = r.Message.Value });
            }

            _producer.Flush(TimeSpan.FromSeconds(30));
            _options.BeforeCommit?.Invoke(batch);
            _options.OnOpen?.Invoke(batch.Count);
            if (_options.HoldBeforeCommit > TimeSpan.Zero)
            {
                Thread.Sleep(_options.HoldBeforeCommit);
            }

            var offsets = batch.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)).ToList();
            _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
            CommitWithRetry();
            var committed = Interlocked.Add(ref _committed, batch.Count);
            _options.OnCommitted?.Invoke(committed);
        }
        catch (Exception e) when (e is KafkaTxnRequiresAbortException or KafkaRetriableException or InvalidOperationException)
        {
            Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} abort after {e.GetType().Name}: {e.Message}");
            // Abort and rewind to the last committed offsets: the batch is processed again in a new transaction.
            _producer.AbortTransaction(TimeSpan.FromSeconds(60));
            Interlocked.Increment(ref _aborted);
            Rewind();
        }
    }

    private void CommitWithRetry()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _producer.CommitTransaction(TimeSpan.FromSeconds(60));
                return;
            }
            catch (KafkaRetriableException e) when (attempt < 5)
            {
                Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} commit retry {attempt}: {e.Message}");
                // The commit outcome is unknown; committing again is the documented way to learn it.
            }
        }
    }

    private void Rewind()
    {
        var assignment = _consumer.Assignment;
        foreach (var tpo in _consumer.Committed(assignment, TimeSpan.FromSeconds(30)))
        {
            _consumer.Seek(new TopicPartitionOffset(tpo.TopicPartition, tpo.Offset == Offset.Unset ? Offset.Beginning : tpo.Offset));
        }
    }
}
