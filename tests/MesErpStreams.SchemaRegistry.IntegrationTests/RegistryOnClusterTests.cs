using MesErpStreams.Avro;
using MesErpStreams.Avro.Compatibility;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.IntegrationTests;

/// <summary>The embedded registry on the embedded cluster: durability in the schemas topic, compatibility enforcement.</summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryOnClusterTests(RegistryClusterFixture fixture)
{
    private const string WithShift = """
        {"type":"record","name":"Confirmation","namespace":"it","fields":[
          {"name":"order","type":"string"},
          {"name":"shift","type":"string"}]}
        """;

    private const string WithoutShift = """
        {"type":"record","name":"Confirmation","namespace":"it","fields":[
          {"name":"order","type":"string"}]}
        """;

    private const string WithOptionalNote = """
        {"type":"record","name":"Confirmation","namespace":"it","fields":[
          {"name":"order","type":"string"},
          {"name":"shift","type":"string"},
          {"name":"note","type":["null","string"],"default":null}]}
        """;

    [Fact]
    public async Task Registry_survives_its_restart_by_reading_the_schemas_topic_back()
    {
        var topic = fixture.CreateSchemasTopic();
        int id1, id2;
        await using (var first = await Start(topic))
        {
            using var client = Client(first);
            id1 = await client.RegisterSchemaAsync("conf-value", WithShift);
            id2 = await client.RegisterSchemaAsync("conf-value", WithOptionalNote);
            await client.RegisterSchemaAsync("other-value", WithShift);
            await client.SetCompatibilityAsync("conf-value", CompatibilityLevel.FullTransitive);
            await client.SetCompatibilityAsync(null, CompatibilityLevel.Forward);
            await client.DeleteSubjectAsync("other-value");
        }

        await using var second = await Start(topic);
        using var after = Client(second);
        (await after.GetSubjectsAsync()).Should().Equal("conf-value");
        (await after.GetVersionsAsync("conf-value")).Should().Equal(1, 2);
        (await after.GetLatestSchemaAsync("conf-value")).Id.Should().Be(id2);
        Schema.Parse(await after.GetSchemaAsync(id1)).ToCanonicalForm().Should().Be(Schema.Parse(WithShift).ToCanonicalForm());
        (await after.GetCompatibilityAsync("conf-value", defaultToGlobal: false)).Should().Be(CompatibilityLevel.FullTransitive);
        (await after.GetCompatibilityAsync(null)).Should().Be(CompatibilityLevel.Forward);

        // Ids continue after the restart instead of being reused.
        var id3 = await after.RegisterSchemaAsync("third-value", """{"type":"record","name":"N","fields":[]}""");
        id3.Should().BeGreaterThan(id2);
    }

    [Fact]
    public async Task Under_BACKWARD_adding_a_field_without_default_is_409_naming_the_field()
    {
        await using var registry = await Start(fixture.CreateSchemasTopic());
        using var client = Client(registry);
        (await client.GetCompatibilityAsync("conf-value")).Should().Be(CompatibilityLevel.Backward);
        await client.RegisterSchemaAsync("conf-value", WithoutShift);
        var e = (await FluentActions.Awaiting(() => client.RegisterSchemaAsync("conf-value", WithShift))
            .Should().ThrowAsync<SchemaRegistryException>()).Which;
        e.StatusCode.Should().Be(409);
        e.Message.Should().Contain("'shift'").And.Contain("BACKWARD");
    }

    [Fact]
    public async Task Removing_a_field_without_default_is_409_naming_the_field_when_old_readers_are_protected()
    {
        // Under BACKWARD alone removal is allowed (the new reader ignores the old field), as in Confluent and
        // Apache Avro; FORWARD and FULL protect consumers still on the old schema, which need the field.
        await using var registry = await Start(fixture.CreateSchemasTopic());
        using var client = Client(registry);
        foreach (var level in new[] { CompatibilityLevel.Forward, CompatibilityLevel.Full, CompatibilityLevel.FullTransitive })
        {
            var subject = $"removal-{level}-value";
            await client.SetCompatibilityAsync(subject, level);
            await client.RegisterSchemaAsync(subject, WithShift);
            var e = (await FluentActions.Awaiting(() => client.RegisterSchemaAsync(subject, WithoutShift))
                .Should().ThrowAsync<SchemaRegistryException>()).Which;
            e.StatusCode.Should().Be(409, level.ToString());
            e.Message.Should().Contain("'shift'", level.ToString());
        }

        await client.RegisterSchemaAsync("removal-backward-value", WithShift);
        await client.RegisterSchemaAsync("removal-backward-value", WithoutShift);
        (await client.GetVersionsAsync("removal-backward-value")).Should().Equal(1, 2);
    }

    private async Task<EmbeddedSchemaRegistry> Start(string topic) => await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
    {
        BootstrapServers = fixture.Cluster.BootstrapServers,
        Topic = topic,
        CreateTopic = false,
    });

    private static CachedSchemaRegistryClient Client(EmbeddedSchemaRegistry registry) => new(new SchemaRegistryClientOptions { Url = registry.Url });
}
