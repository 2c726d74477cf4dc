using System.Reflection;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Pipeline;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Observability.IntegrationTests;

/// <summary>
/// A real Streamiz.Kafka.Net instance (exactly once, a one-step passthrough) on a one-broker embedded cluster, tracked
/// by the processor's engine metrics the way <c>StreamizPipeline</c> tracks its instance, and fed a record per
/// <see cref="FeedAsync"/>. The engine instruments bridged from Streamiz's own thread sensors (transactions committed,
/// commit latency, the meserp.streams.streamiz family) exist only while an instance commits: without this workload the
/// dashboards' panels on them had data only when another test class of this assembly ran a processor at the same time.
/// </summary>
internal sealed class StreamizWorkload : IAsyncDisposable
{
    private const string Input = "verify.streamiz.in";
    private const string Output = "verify.streamiz.out";
    private const string ApplicationId = "meserp-verify-streamiz";

    private static readonly Type EngineMetrics =
        typeof(PipelineMetrics).Assembly.GetType("MesErpStreams.Pipeline.Engine.EngineMetrics", throwOnError: true)!;

    private readonly EmbeddedKafkaCluster _cluster;
    private readonly KafkaStream _stream;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _stateDir;

    private StreamizWorkload(EmbeddedKafkaCluster cluster, KafkaStream stream, IProducer<byte[], byte[]> producer, string stateDir)
    {
        _cluster = cluster;
        _stream = stream;
        _producer = producer;
        _stateDir = stateDir;
    }

    public static async Task<StreamizWorkload> StartAsync()
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic(Input, 1);
        cluster.CreateTopic(Output, 1);
        var builder = new StreamBuilder();
        builder.Stream(Input, new ByteArraySerDes(), new ByteArraySerDes()).To(Output, new ByteArraySerDes(), new ByteArraySerDes());
        var stateDir = Path.Combine(Path.GetTempPath(), "meserp-obs-streamiz-" + Guid.NewGuid().ToString("N"));
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
        {
            ApplicationId = ApplicationId, BootstrapServers = cluster.BootstrapServers, StateDir = stateDir,
            Guarantee = ProcessingGuarantee.EXACTLY_ONCE, AutoOffsetReset = AutoOffsetReset.Earliest,
            Logger = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        };
        config.CommitIntervalMs = 100; // after Guarantee: its setter resets the commit interval
        var stream = new KafkaStream(builder.Build(), config);
        var running = new TaskCompletionSource<KafkaStream.State>(TaskCreationOptions.RunContinuationsAsynchronously);
        stream.StateChanged += (_, to) =>
        {
            if (to == KafkaStream.State.RUNNING || to == KafkaStream.State.ERROR)
            {
                running.TrySetResult(to);
            }
        };
        var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 0 }).Build();
        var workload = new StreamizWorkload(cluster, stream, producer, stateDir);
        try
        {
            await stream.StartAsync();
            var state = await running.Task.WaitAsync(TimeSpan.FromSeconds(60));
            if (state != KafkaStream.State.RUNNING)
            {
                throw new InvalidOperationException($"the Streamiz workload reached {state}, not RUNNING");
            }

            EngineMetrics.GetMethod("Track", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [stream, ApplicationId]);
            return workload;
        }
        catch
        {
            await workload.DisposeAsync();
            throw;
        }
    }

    /// <summary>One record through the instance: its next commit interval has something to commit.</summary>
    public Task FeedAsync(CancellationToken ct) =>
        _producer.ProduceAsync(Input, new Message<byte[], byte[]> { Key = [1], Value = [2] }, ct);

    public ValueTask DisposeAsync()
    {
        EngineMetrics.GetMethod("Untrack", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [_stream]);
        _stream.Dispose();
        _producer.Dispose();
        _cluster.Dispose();
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
