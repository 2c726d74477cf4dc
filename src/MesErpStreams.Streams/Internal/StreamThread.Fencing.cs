using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// The transactional producer and its recovery from fencing. A producer is fenced when the broker bumped its epoch:
/// its transaction outlived <c>transaction.timeout.ms</c> (a coordinator outage longer than the timeout, found by the
/// fault suite: the instance used to stop for good), or another process started with the same transactional id.
/// As Kafka Streams treats it (task migrated): the open transaction is lost, its store writes are forgotten, the
/// partitions rewind to their committed offsets and a new producer with the same transactional id takes over.
/// Fencing that repeats within <see cref="FencingWindow"/> more than <see cref="MaxFencingsPerWindow"/> times is
/// fatal: two live instances share an instance id, and taking the id back in turn would never end.
/// </summary>
internal sealed partial class StreamThread
{
    internal const int MaxFencingsPerWindow = 3;
    internal static readonly TimeSpan FencingWindow = TimeSpan.FromMinutes(5);
    private readonly Queue<DateTimeOffset> _fencings = new();
    private volatile Error? _fatalProducerError;

    private string TransactionalId => $"{_options.ApplicationId}-{InstanceId}";

    /// <summary>Errors that end the producer's transactional life (its epoch was bumped).</summary>
    internal static bool IsFenced(Error error) =>
        error.Code is ErrorCode.Local_Fenced or ErrorCode.InvalidProducerEpoch or ErrorCode.ProducerFenced;

    private IProducer<byte[], byte[]> BuildProducer()
    {
        var config = new ProducerConfig(BaseConfig(_options)) { EnableIdempotence = true, Acks = Acks.All };
        if (_exactlyOnce)
        {
            config.TransactionalId = TransactionalId;

            // As Kafka Streams does: a transaction left open by an instance that died is aborted by the broker after
            // this long; until then its input's committed offsets are unstable and its outputs' LSO holds consumers
            // back. A restart with the same instance id fences it at once. librdkafka's default is 60 s.
            config.TransactionTimeoutMs ??= 10_000;
        }

        return new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((producer, e) =>
            {
                // A replaced producer's late reports are not about the current one.
                if (_producer is null || ReferenceEquals(producer, _producer))
                {
                    OnClientError("producer", e);
                }
            })
            .Build();
    }

    /// <summary>Replaces the fenced producer; with <paramref name="seek"/>, rewinds the partitions it had read from.</summary>
    /// <exception cref="InvalidOperationException">Fenced too often: another instance uses the same transactional id.</exception>
    private void RecoverFromFencing(Error error, bool seek)
    {
        var now = _time.GetUtcNow();
        _fencings.Enqueue(now);
        while (_fencings.Peek() < now - FencingWindow)
        {
            _fencings.Dequeue();
        }

        if (_fencings.Count > MaxFencingsPerWindow)
        {
            throw new InvalidOperationException($"the producer with transactional id '{TransactionalId}' was fenced {_fencings.Count} times within {FencingWindow.TotalMinutes:0} min " +
                $"({error.Code}: {error.Reason}); another live instance probably uses instance id '{InstanceId}'");
        }

        _logger.LogWarning("Producer {TransactionalId} fenced ({Code}: {Reason}); its open transaction is lost: forgetting its store writes, " +
            "rewinding to the committed offsets and starting a new producer (fencing {Count} of at most {Max} within {Window} min)",
            TransactionalId, error.Code, error.Reason, _fencings.Count, MaxFencingsPerWindow, FencingWindow.TotalMinutes);
        _transactionOpen = false;
        AbortAndRewind(seek);
        _fatalProducerError = null;
        var fenced = _producer;
        _producer = BuildProducer();
        _collector.Use(_producer);
        fenced.Dispose();
        _producer.InitTransactions(_options.OperationTimeout);
    }
}
