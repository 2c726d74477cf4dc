using System.Diagnostics;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.IntegrationTests;

/// <summary>
/// What our serializer puts on Kafka is readable by the reference implementation: produced to the embedded
/// cluster, fetched raw, schema fetched by id over HTTP from the registry, decoded by Apache Avro's Python library.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class ApacheAvroInteropTests(RegistryClusterFixture fixture)
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    [Fact]
    public async Task Produced_ProductionConfirmation_decodes_with_apache_avro_to_the_same_record()
    {
        var value = new ProductionConfirmation
        {
            EventId = Guid.Parse("0b7c3b0e-3f5c-4f7e-9a51-0d3c5a7e8f10"), Plant = "1000", SourceSystem = "mes-line-7", OccurredAt = At,
            Sequence = 9_000_000_001, Trace = new TraceContext { Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            WorkOrder = "1000123", Operation = "0010", WorkCenter = "WC-ASSY",
            YieldQuantity = new Quantity { Value = 12.345678m, Unit = "PC" }, FinalConfirmation = true, Batch = "B-1", Shift = null,
        };
        var (schemaId, record) = await ProduceFetchAndDecodeAsync(value, ProductionConfirmation.Schema);

        record["eventId"]!.GetValue<string>().Should().Be("0b7c3b0e-3f5c-4f7e-9a51-0d3c5a7e8f10");
        record["plant"]!.GetValue<string>().Should().Be("1000");
        record["sourceSystem"]!.GetValue<string>().Should().Be("mes-line-7");
        record["occurredAt"]!.GetValue<long>().Should().Be(At.ToUnixTimeMilliseconds());
        record["sequence"]!.GetValue<long>().Should().Be(9_000_000_001);
        record["trace"]!["traceparent"]!.GetValue<string>().Should().Be(value.Trace.Traceparent);
        record["trace"]!["tracestate"].Should().BeNull();
        record["workOrder"]!.GetValue<string>().Should().Be("1000123");
        decimal.Parse(record["yieldQuantity"]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(12.345678m);
        record["yieldQuantity"]!["unit"]!.GetValue<string>().Should().Be("PC");
        record["finalConfirmation"]!.GetValue<bool>().Should().BeTrue();
        record["batch"]!.GetValue<string>().Should().Be("B-1");
        record["shift"].Should().BeNull();
        schemaId.Should().BePositive();
    }

    [Fact]
    public async Task Produced_ErpPostingCommand_decodes_with_apache_avro_to_the_same_record()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var value = new ErpPostingCommand
        {
            IdempotencyKey = "gm:abc", CommandType = ErpCommandType.GoodsMovement, SourceEventIds = ids, Plant = "1000",
            OrderKey = "1000/1000123", CreatedAt = At,
            GoodsMovement = new GoodsMovement
            {
                MovementType = GoodsMovement.GoodsIssueToOrder, Material = "RM-7", Quantity = -0.000001m, BaseUnit = "M", Plant = "1000",
                StorageLocation = "0001", OrderNumber = "1000123", PostingDate = new DateOnly(2026, 11, 22),
            },
        };
        var (_, record) = await ProduceFetchAndDecodeAsync(value, ErpPostingCommand.Schema);

        record["commandType"]!.GetValue<string>().Should().Be("GOODS_MOVEMENT");
        record["sourceEventIds"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(ids.Select(i => i.ToString()));
        record["orderConfirmation"].Should().BeNull();
        record["stockStatusChange"].Should().BeNull();
        var gm = record["goodsMovement"]!;
        gm["movementType"]!.GetValue<string>().Should().Be("261");
        decimal.Parse(gm["quantity"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(-0.000001m);
        gm["postingDate"]!.GetValue<string>().Should().Be("2026-11-22");
        gm["batch"].Should().BeNull();
    }

    private async Task<(int SchemaId, JsonNode Record)> ProduceFetchAndDecodeAsync<T>(T value, Avro.Schema schema)
    {
        var schemasTopic = fixture.CreateSchemasTopic();
        var topic = "interop-" + Guid.NewGuid().ToString("N")[..10];
        fixture.Cluster.CreateTopic(topic, 1, 3);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
        {
            BootstrapServers = fixture.Cluster.BootstrapServers, Topic = schemasTopic, CreateTopic = false,
        });
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });

        using (var producer = new ProducerBuilder<string, T>(new ProducerConfig { BootstrapServers = fixture.Cluster.BootstrapServers, Acks = Acks.All })
            .SetValueSerializer(new AvroSerializer<T>(client, schema, new AvroSerializerConfig { AutoRegisterSchemas = true }))
            .Build())
        {
            await producer.ProduceAsync(topic, new Message<string, T> { Key = "k", Value = value });
        }

        byte[] raw;
        using (var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = fixture.Cluster.BootstrapServers, GroupId = "interop-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
        }).Build())
        {
            consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
            var deadline = Stopwatch.StartNew();
            ConsumeResult<Ignore, byte[]>? result = null;
            while (result is null && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            }

            raw = result?.Message.Value ?? throw new TimeoutException("the produced message was not consumed within 30 s");
        }

        var schemaId = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(1, 4));
        using var http = new HttpClient();
        var schemaJson = JsonNode.Parse(await http.GetStringAsync(new Uri($"{registry.Url}/schemas/ids/{schemaId}")))!["schema"]!.GetValue<string>();

        var dir = Directory.CreateTempSubdirectory("meserp-interop-");
        try
        {
            var schemaFile = Path.Combine(dir.FullName, "schema.avsc");
            var payloadFile = Path.Combine(dir.FullName, "payload.bin");
            await File.WriteAllTextAsync(schemaFile, schemaJson);
            await File.WriteAllBytesAsync(payloadFile, raw);
            var output = await RunPythonAsync(Path.Combine(AppContext.BaseDirectory, "decode_confluent.py"), schemaFile, payloadFile);
            var decoded = JsonNode.Parse(output)!;
            decoded["schemaId"]!.GetValue<int>().Should().Be(schemaId);
            return (schemaId, decoded["record"]!);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> RunPythonAsync(params string[] args)
    {
        // Debian's python3 carries python3-avro; a python3 earlier on PATH (pyenv) may not.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, "python3-avro failed: " + await stderr);
        return await stdout;
    }
}
