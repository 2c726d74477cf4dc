using MesErpStreams.Cli;
using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Deployment.Tests;

/// <summary>k8s/topics/kafka-topics.yaml is the catalog rendered by `meserp topics strimzi`, and nothing else.</summary>
public sealed class StrimziTopicManifestTests
{
    private static readonly string Committed = Repo.Path("k8s", "topics", "kafka-topics.yaml");

    [Fact]
    public void Committed_topic_manifests_equal_the_catalog()
    {
        var expected = StrimziTopicManifests.Render(TopicCatalog.Default);
        var actual = File.ReadAllText(Committed).ReplaceLineEndings("\n");
        actual.Should().Be(expected,
            $"k8s/topics/kafka-topics.yaml must be generated from the topic catalog: regenerate it with `{StrimziTopicManifests.RegenerateCommand}` "
            + "(from the repository root, e.g. artifacts/meserp topics strimzi --out k8s/topics/kafka-topics.yaml)");
    }

    [Fact]
    public void A_changed_partition_count_no_longer_matches_the_committed_manifests()
    {
        // What the test above guards against: the catalog changes, the manifests are not regenerated.
        var changed = new TopicCatalog(TopicCatalog.Default.Topics.Select(t =>
            t.Name == "erp.posting-commands" ? t with { Partitions = t.Partitions + 6 } : t));
        var rendered = StrimziTopicManifests.Render(changed);
        rendered.Should().NotBe(File.ReadAllText(Committed).ReplaceLineEndings("\n"));
        Yaml.LoadAll(rendered).Single(d => d.StringAt("spec", "topicName") == "erp.posting-commands")
            .StringAt("spec", "partitions").Should().Be("12");
    }

    [Fact]
    public void Every_catalog_topic_is_a_KafkaTopic_with_its_partitions_replicas_and_configs()
    {
        var docs = Yaml.LoadFile(Committed);
        docs.Should().HaveCount(TopicCatalog.Default.Topics.Count);
        foreach (var (doc, spec) in docs.Zip(TopicCatalog.Default.Topics))
        {
            doc.StringAt("apiVersion").Should().Be("kafka.strimzi.io/v1beta2");
            doc.Kind.Should().Be("KafkaTopic");
            doc.StringAt("metadata", "labels", "strimzi.io/cluster").Should().Be(StrimziTopicManifests.DefaultClusterName);
            doc.StringAt("spec", "topicName").Should().Be(spec.Name);
            doc.StringAt("spec", "partitions").Should().Be(spec.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture));
            doc.StringAt("spec", "replicas").Should().Be(spec.ReplicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            doc.MapAt("spec", "config")!.Values.ToDictionary(kv => kv.Key, kv => kv.Value as string)
                .Should().BeEquivalentTo(spec.Configs);
        }
    }

    [Fact]
    public void Resource_names_are_valid_kubernetes_names_and_unique()
    {
        var names = TopicCatalog.Default.Topics.Select(t => StrimziTopicManifests.ResourceName(t.Name)).ToList();
        names.Should().OnlyHaveUniqueItems();
        names.Should().AllSatisfy(n => n.Should().MatchRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"));
        names.Should().AllSatisfy(n => n.Length.Should().BeLessThanOrEqualTo(253));
        StrimziTopicManifests.ResourceName("_schemas").Should().Be("schemas");
        StrimziTopicManifests.ResourceName("app-__internal-changelog").Should().Be("app---internal-changelog");
        StrimziTopicManifests.ResourceName("Mixed.Case_Topic").Should().Be("mixed.case-topic");
        var invalid = () => StrimziTopicManifests.ResourceName("a.-b");
        invalid.Should().Throw<ArgumentException>().WithMessage("*not a Kubernetes resource name*");
        StrimziTopicManifests.IsValidClusterName("meserp-kafka").Should().BeTrue();
        StrimziTopicManifests.IsValidClusterName("Bad_Name").Should().BeFalse();
    }

    [Fact]
    public void Topics_mapping_to_the_same_resource_name_are_refused()
    {
        var catalog = new TopicCatalog(
        [
            new TopicSpec("a_b", "event", 1, 1, "delete", 1000, 1, ""),
            new TopicSpec("a-b", "event", 1, 1, "delete", 1000, 1, ""),
        ]);
        var act = () => StrimziTopicManifests.Render(catalog);
        act.Should().Throw<TopicCatalogException>().WithMessage("*'a_b' and 'a-b'*");
    }

    [Fact]
    public async Task Topics_strimzi_command_writes_and_checks_the_manifests()
    {
        var dir = Directory.CreateTempSubdirectory("meserp-strimzi-");
        try
        {
            var file = Path.Combine(dir.FullName, "topics.yaml");
            (await Run("topics", "strimzi", "--out", file)).Should().Be(0);
            File.ReadAllText(file).Should().Be(StrimziTopicManifests.Render(TopicCatalog.Default));
            (await Run("topics", "strimzi", "--out", file, "--check")).Should().Be(0);

            await File.AppendAllTextAsync(file, "# edited by hand\n");
            (await Run("topics", "strimzi", "--out", file, "--check")).Should().Be(1, "a file that differs from the catalog fails the check");
            (await Run("topics", "strimzi", "--check")).Should().Be(CliRunner.UsageError, "--check needs --out");
            (await Run("topics", "strimzi", "--out", file, "--cluster", "Bad_Name")).Should().Be(CliRunner.UsageError);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Task<int> Run(params string[] args) => CliRunner.RunAsync(MeserpRootCommand.Create(), args, TextWriter.Null);
}
