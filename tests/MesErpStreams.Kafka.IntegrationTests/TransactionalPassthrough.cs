using Confluent.Kafka;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>
/// A minimal consume-transform-produce loop written directly on Confluent.Kafka (the EOS v2 pattern), used to prove
/// the native client and the embedded cluster give exactly-once results. The streams runtime is the product's version.
/// </summary>
internal sealed class TransactionalPassthrough : IDisposable
{
    private readonly IConsumer<string, string> _consumer;
    private readonly IProducer<string, string> _producer;
    private readonly string _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _committed;

    public System.Collections.Concurrent.ConcurrentQueue<string> Events { get; } = new();

    public TransactionalPassthrough(string bootstrap, string input, string output, string group)
    {
        _output = output;
        _consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false, IsolationLevel = IsolationLevel.ReadCommitted,
        }).SetLogHandler((_, m) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} consumer {m.Level} {m.Facility} {m.Message}"))
          .SetErrorHandler((_, e) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} consumer error {e}")).Build();
        _producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap, TransactionalId = TransactionalIdOf(group), EnableIdempotence = true, LingerMs = 5,
            TransactionTimeoutMs = 30000,
        }).SetLogHandler((_, m) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} producer {m.Level} {m.Facility} {m.Message}"))
          .SetErrorHandler((_, e) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} producer error {e}")).Build();
        _producer.InitTransactions(TimeSpan.FromSeconds(30));
        _consumer.Subscribe(input);
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    public long Committed => Interlocked.Read(ref _committed);

    public static string TransactionalIdOf(string group) => group + "-tx";

    public Exception? Failure { get; private set; }

    public string Diagnostics() => string.Join("; ", _consumer.Assignment.Select(tp =>
        $"{tp.Partition.Value}: position {_consumer.Position(tp)}, high {_consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High}"));

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(60));
    }

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
                    if (batch.Count == 50)
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
                _producer.Produce(_output, new Message<string, string> { Key = r.Message.Key, Value = r.Message.Value });
            }

            var offsets = batch.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)).ToList();
            _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
            CommitWithRetry();
            Interlocked.Add(ref _committed, batch.Count);
        }
        catch (KafkaException e) when (e is KafkaTxnRequiresAbortException or KafkaRetriableException)
        {
            Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} abort after {e.GetType().Name}: {e.Message}");
            // Abort and rewind to the last committed offsets: the batch is processed again in a new transaction.
            _producer.AbortTransaction(TimeSpan.FromSeconds(60));
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
