using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Pipeline;
using MesErpStreams.Sink;

namespace MesErpStreams.Deployment.Tests;

/// <summary>KEDA ScaledObjects scale on the consumer groups and topics the workers really use, within the partitions.</summary>
public sealed class KedaScalingTests
{
    private static readonly string[] EventTopics =
    [
        PipelineTopology.Topics.ProductionConfirmations, PipelineTopology.Topics.ScrapReports,
        PipelineTopology.Topics.MaterialConsumptions, PipelineTopology.Topics.QualityHolds,
    ];

    public static TheoryData<string> Sources => ManifestSources.All();

    [Theory]
    [MemberData(nameof(Sources))]
    public void Process_and_sink_are_scaled_on_lag_of_their_real_consumer_groups(string source)
    {
        var resources = ManifestSources.Load(source);
        var scaled = resources.Where(r => r.Kind == "ScaledObject").ToList();
        var workers = KubernetesCommandLineTests.MeserpContainers(source).Where(c => c.CommandLine.CommandPath is "process" or "sink").ToList();
        foreach (var worker in workers)
        {
            var so = scaled.SingleOrDefault(s => s.StringAt("spec", "scaleTargetRef", "name") == worker.Workload.Name);
            so.Should().NotBeNull($"{worker.Name} is scaled by a KEDA ScaledObject");
            var env = worker.Environment(resources).ToDictionary(e => e.Name, e => e.Value, StringComparer.OrdinalIgnoreCase);
            var (group, bootstrap, topics) = worker.CommandLine.CommandPath == "process"
                ? (worker.CommandLine.Option("--application-id") ?? PipelineTopology.DefaultApplicationId,
                   worker.CommandLine.Option("--bootstrap-servers") ?? env.GetValueOrDefault("MESERP_Kafka__BootstrapServers"),
                   EventTopics)
                : (worker.CommandLine.Option("--group") ?? env.GetValueOrDefault("MESERP_Sink__GroupId") ?? new ErpSinkOptions().GroupId,
                   worker.CommandLine.Option("--bootstrap-servers") ?? env.GetValueOrDefault("MESERP_Sink__BootstrapServers") ?? env.GetValueOrDefault("MESERP_Kafka__BootstrapServers"),
                   [new ErpSinkOptions().CommandsTopic]);

            var triggers = so!.MapsAt("spec", "triggers").ToList();
            triggers.Should().NotBeEmpty();
            foreach (var t in triggers)
            {
                t.StringAt("type").Should().Be("kafka", so.ToString());
                t.StringAt("metadata", "consumerGroup").Should().Be(group, $"{source} {so}: the group `meserp {worker.CommandLine.CommandPath}` joins");
                t.StringAt("metadata", "bootstrapServers").Should().Be(bootstrap, $"{source} {so}: the cluster the worker uses");
                t.StringAt("metadata", "lagThreshold").Should().NotBeNullOrEmpty();
            }

            triggers.Select(t => t.StringAt("metadata", "topic")).Should().BeEquivalentTo(topics, $"{source} {so}: lag on any input topic scales the worker");
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Max_replicas_do_not_exceed_the_partition_count_of_the_input_topics(string source)
    {
        foreach (var so in ManifestSources.Load(source).Where(r => r.Kind == "ScaledObject"))
        {
            var max = int.Parse(so.StringAt("spec", "maxReplicaCount") ?? "100", System.Globalization.CultureInfo.InvariantCulture);
            var min = int.Parse(so.StringAt("spec", "minReplicaCount") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var topic in so.MapsAt("spec", "triggers").Select(t => t.StringAt("metadata", "topic")!))
            {
                TopicCatalog.Default.Contains(topic).Should().BeTrue($"{source} {so}: {topic} must be a catalog topic");
                max.Should().BeLessThanOrEqualTo(TopicCatalog.Default[topic].Partitions,
                    $"{source} {so}: more instances than partitions of {topic} would sit idle");
            }

            min.Should().BeGreaterThanOrEqualTo(1, $"{source} {so}: the workers must not scale to zero (they also run punctuation and retry tiers)");
            max.Should().BeGreaterThanOrEqualTo(min);
        }
    }
}
