using Confluent.Kafka;
using MesErpStreams.Pipeline.Engine;
using Microsoft.Extensions.Logging;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// The start-up check that every topic the topology reads, writes or logs to exists, with changelogs partitioned like
/// the event topics. Streamiz would otherwise call CreateTopics for a missing internal topic (ten tries of 60 s each
/// while StartAsync neither fails nor returns) or end in state ERROR after about 35 s for a wrong partition count;
/// this names the topic within seconds.
/// </summary>
internal static class StreamizTopicCheck
{
    /// <summary>Problems as sentences naming the topics; metadata that cannot be fetched is retried until <paramref name="stop"/>.</summary>
    public static async Task<List<string>> ProblemsAsync(StreamizPipelineOptions options, ILogger log, CancellationToken stop)
    {
        var config = new AdminClientConfig(options.Kafka.ToDictionary()) { BootstrapServers = options.BootstrapServers };
        using var admin = new AdminClientBuilder(config).Build();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Problems(admin.GetMetadata(TimeSpan.FromSeconds(10)), options.ApplicationId);
            }
            catch (KafkaException ex) when (!stop.IsCancellationRequested)
            {
                log.LogWarning("Cannot read cluster metadata to check the topology's topics ({Reason}); retrying (attempt {Attempt})", ex.Error.Reason, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), stop);
            }
        }
    }

    /// <summary>Missing topics and changelogs whose partitions differ from the event topics', each as a sentence.</summary>
    public static List<string> Problems(Metadata metadata, string applicationId)
    {
        var partitions = metadata.Topics.Where(t => !t.Error.IsError && t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        var changelogs = StreamizTopology.ChangelogStores.Select(s => StreamizTopology.ChangelogTopic(applicationId, s)).ToList();
        var problems = new List<string>();
        void Require(IEnumerable<string> topics, string role)
        {
            var missing = topics.Where(t => !partitions.ContainsKey(t)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{role} topic(s) missing: {string.Join(", ", missing)}");
            }
        }

        Require(StreamizTopology.EventTopics, "source");
        Require([T.PostingCommands, T.EventsDeadLetter], "sink");
        Require([T.WorkOrders, T.Materials], "global-table");
        Require(changelogs, "changelog");
        var tasks = StreamizTopology.EventTopics.Select(t => partitions.GetValueOrDefault(t)).Max();
        foreach (var changelog in changelogs)
        {
            if (partitions.TryGetValue(changelog, out var n) && n != tasks)
            {
                problems.Add($"changelog topic {changelog} has {n} partition(s); Streamiz needs as many as the event topics have ({tasks})");
            }
        }

        return problems;
    }
}
