using Confluent.Kafka;
using Confluent.Kafka.Admin;
using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Kafka.Provisioning;

/// <summary>Provisions topics on a real Kafka cluster through the admin API (CreateTopics, DescribeConfigs).</summary>
public sealed class AdminClientTopicProvisioner : ITopicProvisioner
{
    private readonly AdminClientConfig _config;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the provisioner.</summary>
    /// <param name="config">Admin client settings (bootstrap servers, security).</param>
    /// <param name="timeout">Timeout of each admin request. Default 30 s.</param>
    public AdminClientTopicProvisioner(AdminClientConfig config, TimeSpan? timeout = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TopicApplyResult>> ApplyAsync(TopicCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var admin = new AdminClientBuilder(_config).Build();
        var metadata = admin.GetMetadata(_timeout);
        var brokerCount = metadata.Brokers.Count;
        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, StringComparer.Ordinal);

        var results = new List<TopicApplyResult>();
        var toCreate = new List<TopicSpecification>();
        var toDescribe = new List<TopicSpec>();
        foreach (var spec in catalog.Topics)
        {
            if (existing.ContainsKey(spec.Name))
            {
                toDescribe.Add(spec);
            }
            else
            {
                toCreate.Add(new TopicSpecification
                {
                    Name = spec.Name,
                    NumPartitions = spec.Partitions,
                    ReplicationFactor = TopicComparer.EffectiveReplicationFactor(spec, brokerCount),
                    Configs = TopicComparer.EffectiveConfigs(spec, brokerCount).ToDictionary(),
                });
            }
        }

        if (toDescribe.Count > 0)
        {
            var described = await admin.DescribeConfigsAsync(
                toDescribe.Select(s => new ConfigResource { Type = ResourceType.Topic, Name = s.Name }),
                new DescribeConfigsOptions { RequestTimeout = _timeout });
            var configsByTopic = described.ToDictionary(d => d.ConfigResource.Name,
                d => (IReadOnlyDictionary<string, string>)d.Entries.ToDictionary(e => e.Key, e => e.Value.Value), StringComparer.Ordinal);
            foreach (var spec in toDescribe)
            {
                var meta = existing[spec.Name];
                var state = new TopicState(spec.Name, meta.Partitions.Count, meta.Partitions.Count > 0 ? meta.Partitions[0].Replicas.Length : 0,
                    configsByTopic.GetValueOrDefault(spec.Name));
                var diffs = TopicComparer.Differences(spec, state, brokerCount);
                results.Add(new TopicApplyResult(spec.Name, diffs.Count == 0 ? TopicApplyAction.UpToDate : TopicApplyAction.Drifted, diffs));
            }
        }

        if (toCreate.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(toCreate, new CreateTopicsOptions { RequestTimeout = _timeout });
                results.AddRange(toCreate.Select(t => new TopicApplyResult(t.Name, TopicApplyAction.Created, [])));
            }
            catch (CreateTopicsException e)
            {
                foreach (var r in e.Results)
                {
                    results.Add(r.Error.Code switch
                    {
                        ErrorCode.NoError => new TopicApplyResult(r.Topic, TopicApplyAction.Created, []),
                        // Created concurrently by someone else: report it as existing; a second apply compares it.
                        ErrorCode.TopicAlreadyExists => new TopicApplyResult(r.Topic, TopicApplyAction.UpToDate, ["created concurrently; re-run apply to compare"]),
                        _ => new TopicApplyResult(r.Topic, TopicApplyAction.Failed, [r.Error.Reason]),
                    });
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Order(catalog, results);
    }

    internal static IReadOnlyList<TopicApplyResult> Order(TopicCatalog catalog, List<TopicApplyResult> results)
    {
        var index = catalog.Topics.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        return results.OrderBy(r => index.GetValueOrDefault(r.Topic, int.MaxValue)).ToArray();
    }
}
