using System.Diagnostics;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

/// <summary>
/// The engine's own ceiling: Streamiz.Kafka.Net copying the event records' bytes to another topic, exactly once, with
/// the processor's commit interval and no state. The gap between this and (a) is Streamiz's; the gap between this
/// and (b) is the pipeline's work (Avro, stores, lookups, headers).
/// </summary>
internal static class StreamizPassthrough
{
    public static async Task<TimeSpan> RunAsync(EmbeddedKafkaCluster cluster, IReadOnlyList<TopicPartitionOffset> input, string name, ILoggerFactory loggers)
    {
        cluster.CreateTopic(name + "-out", input.Count);
        var builder = new StreamBuilder();
        long? first = null;
        builder.Stream(T.ProductionConfirmations, new ByteArraySerDes(), new ByteArraySerDes())
            .Peek((_, _, _) => first ??= Stopwatch.GetTimestamp())
            .To(name + "-out", new ByteArraySerDes(), new ByteArraySerDes());
        var stateDir = Path.Combine(Path.GetTempPath(), "meserp-bench-" + Guid.NewGuid().ToString("N"));
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
        {
            ApplicationId = name, BootstrapServers = cluster.BootstrapServers, StateDir = stateDir, CommitIntervalMs = 100,
            Guarantee = ProcessingGuarantee.EXACTLY_ONCE, AutoOffsetReset = AutoOffsetReset.Earliest, Logger = loggers,
        };
        var failed = new TaskCompletionSource<KafkaStream.State>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var stream = new KafkaStream(builder.Build(), config);
            stream.StateChanged += (_, to) =>
            {
                if (to == KafkaStream.State.ERROR)
                {
                    failed.TrySetResult(to);
                }
            };
            await stream.StartAsync();
            var end = await Committed.WaitForAsync(cluster.BootstrapServers, name, input, failed.Task, TimeSpan.FromMinutes(5));
            return Stopwatch.GetElapsedTime(first ?? throw new InvalidOperationException("no record was consumed"), end);
        }
        finally
        {
            if (Directory.Exists(stateDir))
            {
                Directory.Delete(stateDir, recursive: true);
            }
        }
    }
}
