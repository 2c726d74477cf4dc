using MesErpStreams.Kafka.Catalog;

namespace MesErpStreams.Kafka.UnitTests;

public sealed class TopicCatalogTests
{
    [Fact]
    public void Default_catalog_declares_every_topic_of_the_data_flow()
    {
        var names = TopicCatalog.Default.Topics.Select(t => t.Name).ToArray();
        names.Should().Contain([
            "mes.events.production-confirmations", "mes.events.scrap-reports", "mes.events.material-consumptions",
            "mes.events.quality-holds", "mes.events.dlq", "erp.master.work-orders", "erp.master.materials",
            "erp.posting-commands", "erp.posting-commands.dlq", "erp.posting-results", "_schemas",
        ]);
        names.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Master_data_and_schema_topics_are_compacted_and_kept_forever()
    {
        foreach (var t in TopicCatalog.Default.Topics.Where(t => t.Role is "master-data" || t.Name == "_schemas"))
        {
            t.CleanupPolicy.Should().Be("compact", t.Name);
            t.RetentionMs.Should().Be(-1, t.Name);
        }
    }

    [Fact]
    public void Defaults_apply_where_a_topic_is_silent()
    {
        var c = TopicCatalog.Parse("""{ "defaults": { "partitions": 12, "replicationFactor": 3, "minInsyncReplicas": 2 }, "topics": [ { "name": "a" } ] }""");
        c["a"].Should().Be(new TopicSpec("a", "event", 12, 3, "delete", 604_800_000, 2, string.Empty));
    }

    [Theory]
    [InlineData("""{ "topics": [ { "name": "bad name" } ] }""", "invalid name")]
    [InlineData("""{ "topics": [ { "name": "a", "partitions": 0 } ] }""", "partitions must be at least 1")]
    [InlineData("""{ "topics": [ { "name": "a", "replicationFactor": 2, "minInsyncReplicas": 3 } ] }""", "minInsyncReplicas")]
    [InlineData("""{ "topics": [ { "name": "a", "cleanupPolicy": "keep" } ] }""", "cleanupPolicy")]
    [InlineData("""{ "topics": [ { "name": "a", "retentionMs": 0 } ] }""", "retentionMs")]
    [InlineData("""{ "topics": [ { "name": "a" }, { "name": "a" } ] }""", "declared twice")]
    [InlineData("""{ "topics": [ { "name": "a" } """, "not valid JSON")]
    [InlineData("""{ }""", "no 'topics'")]
    public void Invalid_catalog_is_rejected_with_a_message_naming_the_problem(string json, string expected)
    {
        var act = () => TopicCatalog.Parse(json);
        act.Should().Throw<TopicCatalogException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void Unknown_topic_lookup_names_the_topic()
    {
        var act = () => TopicCatalog.Default["nope"];
        act.Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*");
    }

    [Fact]
    public void Topic_configs_carry_cleanup_retention_and_min_isr()
    {
        TopicCatalog.Default["erp.master.materials"].Configs.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact", ["retention.ms"] = "-1", ["min.insync.replicas"] = "2",
        });
    }
}
