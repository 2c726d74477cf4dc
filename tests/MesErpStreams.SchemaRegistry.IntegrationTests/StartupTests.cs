using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.IntegrationTests;

[Collection(RegistryClusterCollection.Name)]
public sealed class StartupTests(RegistryClusterFixture fixture)
{
    [Fact]
    public async Task Missing_schemas_topic_is_created_or_reported_clearly()
    {
        var topic = "_schemas-missing-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
            {
                BootstrapServers = fixture.Cluster.BootstrapServers, Topic = topic, StartupTimeout = TimeSpan.FromSeconds(20),
            });
            using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });
            (await client.RegisterSchemaAsync("x-value", "\"string\"")).Should().BePositive();
        }
        catch (InvalidOperationException e)
        {
            // The embedded cluster auto-creates unknown topics with 4 partitions: refused with the remedy.
            e.Message.Should().Contain(topic).And.Contain("1 partition");
        }
    }

    [Fact]
    public async Task Invalid_options_name_the_setting()
    {
        await FluentActions.Awaiting(() => EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = "" }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*BootstrapServers*");
        await FluentActions.Awaiting(() => EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = "x:1", Url = "https://127.0.0.1:0" }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*Url*");
    }
}
