using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>The start-up check that every topic the topology reads, writes or logs to exists on the cluster.</summary>
internal sealed partial class StreamThread
{
    /// <summary>
    /// Fails at start, naming them, when topics of the topology are missing or a changelog has fewer partitions than
    /// there are tasks. This runtime does not create topics (the catalog does, e.g. <c>meserp topics apply</c>); without
    /// the check a missing changelog showed only as endless <c>Local_UnknownPartition</c> errors (found by the fault
    /// suite with a non-default application id). Metadata that cannot be fetched (cluster unreachable) is retried
    /// until <paramref name="stop"/>; only a definite answer fails.
    /// </summary>
    private async Task CheckTopicsAsync(CancellationToken stop)
    {
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        Metadata? metadata = null;
        for (var attempt = 1; metadata is null; attempt++)
        {
            try
            {
                metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            }
            catch (KafkaException ex) when (!stop.IsCancellationRequested)
            {
                _logger.LogWarning("Cannot read cluster metadata to check the topology's topics ({Reason}); retrying (attempt {Attempt})", ex.Error.Reason, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), stop);
            }
        }

        var problems = TopicProblems(metadata, _topology, _options.ApplicationId, _deadLetter.Topic);
        if (problems.Count > 0)
        {
            throw new TopologyException($"application '{_options.ApplicationId}' cannot start: {string.Join("; ", problems)}. " +
                "Create them first (the topic catalog: meserp topics apply), or run with the application id they were created for.");
        }
    }

    /// <summary>Missing topics and changelogs with too few partitions, each as a sentence naming the topic.</summary>
    internal static List<string> TopicProblems(Metadata metadata, Topology topology, string applicationId, string? deadLetterTopic)
    {
        var partitions = metadata.Topics.Where(t => !t.Error.IsError && t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        var problems = new List<string>();
        void Require(IEnumerable<string> topics, string role)
        {
            var missing = topics.Where(t => !partitions.ContainsKey(t)).Distinct().ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{role} topic(s) missing: {string.Join(", ", missing)}");
            }
        }

        Require(topology.SourceTopics, "source");
        Require(topology.SinkTopics, "sink");
        Require(topology.GlobalTableTopics, "global-table");
        Require(topology.ChangelogTopics(applicationId), "changelog");
        if (!string.IsNullOrEmpty(deadLetterTopic))
        {
            Require([deadLetterTopic], "dead-letter");
        }

        var tasks = topology.SourceTopics.Select(t => partitions.GetValueOrDefault(t)).DefaultIfEmpty(0).Max();
        foreach (var changelog in topology.ChangelogTopics(applicationId))
        {
            if (partitions.TryGetValue(changelog, out var n) && n < tasks)
            {
                problems.Add($"changelog topic {changelog} has {n} partition(s), fewer than the {tasks} tasks of the source topics");
            }
        }

        return problems;
    }
}
