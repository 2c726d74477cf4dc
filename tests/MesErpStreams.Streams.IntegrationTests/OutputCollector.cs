using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.Streams.IntegrationTests;

/// <summary>Reads a topic (read_committed) in the background for the whole test.</summary>
internal sealed class OutputCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<ConsumeResult<byte[], byte[]>> _records = [];

    public OutputCollector(string bootstrap, string topic)
    {
        var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "collector-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe(topic);
        _loop = Task.Run(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (cr is { IsPartitionEOF: false })
                    {
                        lock (_records)
                        {
                            _records.Add(cr);
                        }
                    }
                }
            }
            finally
            {
                consumer.Close();
                consumer.Dispose();
            }
        });
    }

    public int Count
    {
        get
        {
            lock (_records)
            {
                return _records.Count;
            }
        }
    }

    public List<(string Key, string Value)> Snapshot()
    {
        lock (_records)
        {
            return _records.Select(r => (Encoding.UTF8.GetString(r.Message.Key), Encoding.UTF8.GetString(r.Message.Value))).ToList();
        }
    }

    public List<ConsumeResult<byte[], byte[]>> Raw()
    {
        lock (_records)
        {
            return [.. _records];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
