using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.Pipeline.Engine;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// Streamiz's client supplier, watched: a second producer for the same transactional id is Streamiz replacing a
/// thread's producer after closing that thread's tasks dirty (TaskManager.HandleLostAll, then ResetProducer), the
/// only sign of it that Streamiz gives. It trips the <see cref="DirtyCloseGuard"/> (on the stream thread, before any
/// task reopens) and logs why. Everything else is the default supplier's.
/// </summary>
internal sealed class GuardedKafkaSupplier(IKafkaSupplier inner, DirtyCloseGuard guard, ILogger log) : IKafkaSupplier
{
    private readonly ConcurrentDictionary<string, int> _producers = new(StringComparer.Ordinal);

    public StreamMetricsRegistry MetricsRegistry
    {
        get => inner.MetricsRegistry;
        set => inner.MetricsRegistry = value;
    }

    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config)
    {
        if (config.TransactionalId is { Length: > 0 } id && _producers.AddOrUpdate(id, 1, static (_, n) => n + 1) > 1)
        {
            var reason = $"a new producer for {id} after its thread's transaction was aborted";
            log.LogError("Streamiz closed the tasks of a stream thread dirty and replaces its producer ({TransactionalId}): stopping the processor " +
                "instead of reopening them on local stores that may hold the aborted transaction's writes", id);
            guard.Trip(reason);
        }

        return inner.GetProducer(config);
    }

    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener) => inner.GetConsumer(config, rebalanceListener);

    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => inner.GetRestoreConsumer(config);

    public IAdminClient GetAdmin(AdminClientConfig config) => inner.GetAdmin(config);

    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => inner.GetGlobalConsumer(config);
}
