using System.Net.Http.Json;
using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.ErpSimulator;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.TestUtils;
using CSerdes = Confluent.SchemaRegistry.Serdes;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// A production confirmation written by Confluent's AvroSerializer (as a GenericRecord, schema auto-registered the way
/// a third-party MES producer would) onto the event topic of the embedded cluster is processed by <c>meserp process</c>,
/// posted by <c>meserp sink</c> and booked by the ERP simulator.
/// </summary>
public sealed class PipelineEndToEndTests(PlatformFixture fx) : IClassFixture<PlatformFixture>
{
    private const string Plant = "1000";

    [Fact]
    public async Task A_record_from_Confluents_serializer_is_posted_to_the_ERP()
    {
        var order = "7" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProduceMasterDataAsync(order);
        await using var erp = await ErpSimulatorHost.StartAsync(new ErpSimulatorOptions { Port = 0, LedgerPath = Path.Combine(fx.Platform.StateDirectory, "erp-ledger.db") });
        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", fx.Platform.BootstrapServers,
            "--schema-registry-url", fx.Platform.RegistryUrl, "--state-dir", Path.Combine(fx.Platform.StateDirectory, "processor"));
        await using var sink = MeserpProcess.Start("sink", "--bootstrap-servers", fx.Platform.BootstrapServers,
            "--schema-registry-url", fx.Platform.RegistryUrl, "--erp-url", erp.BaseAddress.ToString());

        var eventId = Guid.NewGuid();
        var schema = global::Avro.Schema.Parse(ContractSchemas.GetJson("mes/ProductionConfirmation.avsc"));
        var confirmation = Confirmation((global::Avro.RecordSchema)schema, eventId, order);
        using (var producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = fx.Platform.BootstrapServers, EnableIdempotence = true })
                   .SetValueSerializer(new CSerdes.AvroSerializer<GenericRecord>(fx.Confluent)).Build())
        {
            await producer.ProduceAsync(T.ProductionConfirmations, new Message<string, GenericRecord> { Key = EventKeys.WorkOrder(Plant, order), Value = confirmation });
        }

        using var http = new HttpClient { BaseAddress = erp.BaseAddress };
        JsonElement[] entries = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var all = await http.GetFromJsonAsync<JsonElement[]>($"api/erp/v1/ledger/entries?plant={Plant}") ?? [];
                entries = all.Where(e => e.GetRawText().Contains(order, StringComparison.Ordinal)).ToArray();
                return entries.Length > 0 || processor.HasExited || sink.HasExited;
            }, TimeSpan.FromSeconds(120), "the confirmation's ERP document");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nprocessor:\n{Tail(processor.Stderr)}\nsink:\n{Tail(sink.Stderr)}", e);
        }

        processor.HasExited.Should().BeFalse(Tail(processor.Stderr));
        sink.HasExited.Should().BeFalse(Tail(sink.Stderr));
        entries.Should().ContainSingle("one confirmation, one ERP document");
        entries[0].GetProperty("documentNumber").GetString().Should().NotBeNullOrEmpty();
        entries[0].GetProperty("documentType").GetString().Should().Be("PRODUCTION_ORDER_CONFIRMATION");
        entries[0].GetProperty("orderNumber").GetString().Should().Be(order);
        entries[0].GetProperty("quantity").GetDecimal().Should().Be(12.5m, "the decimal the Confluent serializer wrote");
        entries[0].GetProperty("unit").GetString().Should().Be("EA");
        processor.Terminate();
        sink.Terminate();
        await processor.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await sink.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The event as a third-party producer builds it: Apache.Avro generic values, no contract types.</summary>
    private static GenericRecord Confirmation(global::Avro.RecordSchema schema, Guid eventId, string order)
    {
        var quantity = new GenericRecord((global::Avro.RecordSchema)schema["yieldQuantity"].Schema);
        quantity.Add("value", new global::Avro.AvroDecimal(new System.Numerics.BigInteger(12_500_000), 6));
        quantity.Add("unit", "EA");
        var record = new GenericRecord(schema);
        record.Add("eventId", eventId);
        record.Add("plant", Plant);
        record.Add("sourceSystem", "third-party-mes");
        record.Add("occurredAt", DateTime.UtcNow);
        record.Add("sequence", 1L);
        record.Add("trace", null);
        record.Add("workOrder", order);
        record.Add("operation", "0010");
        record.Add("workCenter", "WC-1");
        record.Add("yieldQuantity", quantity);
        record.Add("finalConfirmation", false);
        record.Add("batch", null);
        record.Add("shift", null);
        return record;
    }

    private async Task ProduceMasterDataAsync(string order)
    {
        var now = DateTimeOffset.UtcNow;
        using var materials = new ProducerBuilder<string, Material>(new ProducerConfig { BootstrapServers = fx.Platform.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<Material>(fx.Platform.Client, Material.Schema)).Build();
        await materials.ProduceAsync(T.Materials, new Message<string, Material>
        {
            Key = EventKeys.Material(Plant, "FG-CONF"),
            Value = new Material { MaterialNumber = "FG-CONF", Plant = Plant, BaseUnit = "EA", BatchManaged = false, ChangedAt = now, AlternativeUnits = [] },
        });
        using var orders = new ProducerBuilder<string, WorkOrder>(new ProducerConfig { BootstrapServers = fx.Platform.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<WorkOrder>(fx.Platform.Client, WorkOrder.Schema)).Build();
        await orders.ProduceAsync(T.WorkOrders, new Message<string, WorkOrder>
        {
            Key = EventKeys.WorkOrder(Plant, order),
            Value = new WorkOrder
            {
                OrderNumber = order, Plant = Plant, Material = "FG-CONF", PlannedQuantity = 100m, PlannedUnit = "EA", Status = WorkOrderStatus.Released,
                ReceivingStorageLocation = "FG01", ChangedAt = now,
                Operations = [new WorkOrderOperation { OperationNumber = "0010", WorkCenter = "WC-1", CostCenter = "CC-1" }],
            },
        });
    }

    private static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
