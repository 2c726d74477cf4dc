using Confluent.Kafka;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class RegistrySerdeTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public async Task Sink_reads_and_writes_confluent_wire_format_through_the_schema_registry()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Topic = kafka.CreateTopic("schemas", 1),
            CreateTopic = false,
        });
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });
        await using var h = await SinkHarness.StartAsync(kafka);
        var commandSerializer = new AvroSerializer<ErpPostingCommand>(client, ErpPostingCommand.Schema, new AvroSerializerConfig { AutoRegisterSchemas = true });
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 6; i++)
            {
                var c = SinkHarness.Confirmation($"ORD-W{i % 2}", i);
                var bytes = await commandSerializer.SerializeAsync(c, new SerializationContext(MessageComponentType.Value, h.Options.CommandsTopic));
                bytes[0].Should().Be(0, "Confluent wire format starts with magic byte 0");
                await producer.ProduceAsync(h.Options.CommandsTopic, new Message<string, byte[]> { Key = c.OrderKey, Value = bytes });
            }
        }

        using var sink = ErpSinkService.Create(h.Options, new Erp.HttpErpClientOptions { BaseAddress = h.Simulator.BaseAddress }, client,
            SinkHarness.Logs, autoRegisterResultSchema: true);
        await sink.StartAsync(CancellationToken.None);

        var raw = h.ReadAll(h.Options.ResultsTopic, 6, TimeSpan.FromSeconds(45));
        raw.Should().HaveCount(6);
        var resultDeserializer = new AvroDeserializer<PostingResult>(client, PostingResult.Schema);
        foreach (var r in raw)
        {
            var result = await resultDeserializer.DeserializeAsync(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, r.Topic));
            result.Status.Should().Be(PostingStatus.Posted);
            result.ErpDocumentNumber.Should().StartWith("CF");
        }

        (await client.GetSubjectsAsync()).Should().Contain($"{h.Options.ResultsTopic}-value");
        await sink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Sink_started_while_the_registry_is_down_waits_for_it_and_dead_letters_nothing()
    {
        var schemas = kafka.CreateTopic("schemas-outage", 1);
        var url = $"http://127.0.0.1:{FreePort()}";
        EmbeddedSchemaRegistryOptions RegistryOptions() => new() { BootstrapServers = kafka.BootstrapServers, Topic = schemas, CreateTopic = false, Url = url };
        await using var h = await SinkHarness.StartAsync(kafka);
        await using (var first = await EmbeddedSchemaRegistry.StartAsync(RegistryOptions()))
        {
            using var writerClient = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = first.Url });
            var commandSerializer = new AvroSerializer<ErpPostingCommand>(writerClient, ErpPostingCommand.Schema, new AvroSerializerConfig { AutoRegisterSchemas = true });
            using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
            for (var i = 0; i < 4; i++)
            {
                var c = SinkHarness.Confirmation($"ORD-R{i % 2}", i);
                var bytes = await commandSerializer.SerializeAsync(c, new SerializationContext(MessageComponentType.Value, h.Options.CommandsTopic));
                await producer.ProduceAsync(h.Options.CommandsTopic, new Message<string, byte[]> { Key = c.OrderKey, Value = bytes });
            }
        }

        // A sink (re)started during the outage has nothing cached: every command needs the registry.
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = url, MaxRetries = 1, RequestTimeout = TimeSpan.FromSeconds(2) });
        using var sink = ErpSinkService.Create(h.Options, new Erp.HttpErpClientOptions { BaseAddress = h.Simulator.BaseAddress }, client,
            SinkHarness.Logs, autoRegisterResultSchema: true);
        await sink.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(6)); // the outage itself: the sink tries and fails to read the commands

        h.ReadAll(h.Options.DeadLetterTopic, 1, TimeSpan.FromSeconds(2)).Should().BeEmpty("an unreachable registry is not a bad command");
        await using var second = await EmbeddedSchemaRegistry.StartAsync(RegistryOptions());
        var results = h.ReadAll(h.Options.ResultsTopic, 4, TimeSpan.FromSeconds(45));

        results.Should().HaveCount(4);
        var resultDeserializer = new AvroDeserializer<PostingResult>(client, PostingResult.Schema);
        foreach (var r in results)
        {
            (await resultDeserializer.DeserializeAsync(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, r.Topic))).Status.Should().Be(PostingStatus.Posted);
        }

        h.ReadAll(h.Options.DeadLetterTopic, 1, TimeSpan.FromSeconds(1)).Should().BeEmpty();
        await sink.StopAsync(CancellationToken.None);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
