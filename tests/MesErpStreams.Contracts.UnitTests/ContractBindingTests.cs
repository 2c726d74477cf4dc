using MesErpStreams.Avro;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Contracts.UnitTests;

/// <summary>Every contract type binds to its .avsc file: drift between a C# type and its schema fails here.</summary>
public sealed class ContractBindingTests
{
    [Fact]
    public void ProductionConfirmation_binds_and_round_trips() => RoundTrip(Samples.ProductionConfirmation);

    [Fact]
    public void ScrapReport_binds_and_round_trips() => RoundTrip(Samples.ScrapReport);

    [Fact]
    public void MaterialConsumption_binds_and_round_trips() => RoundTrip(Samples.MaterialConsumption);

    [Fact]
    public void QualityHold_binds_and_round_trips() => RoundTrip(Samples.QualityHold);

    [Fact]
    public void WorkOrder_binds_and_round_trips() => RoundTrip(Samples.WorkOrder);

    [Fact]
    public void Material_binds_and_round_trips() => RoundTrip(Samples.Material);

    [Fact]
    public void ErpPostingCommand_binds_and_round_trips_every_body()
    {
        RoundTrip(Samples.GoodsMovementCommand);
        RoundTrip(Samples.ConfirmationCommand);
        RoundTrip(Samples.StockCommand);
    }

    [Fact]
    public void PostingResult_binds_and_round_trips() => RoundTrip(Samples.PostingResult);

    [Fact]
    public void Shared_types_bind_to_their_own_files()
    {
        RoundTrip(new TraceContext { Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
        RoundTrip(new Quantity { Value = -1.5m, Unit = "KG" });
    }

    [Fact]
    public void Optional_fields_round_trip_as_null()
    {
        RoundTrip(Samples.QualityHold with { Quantity = null, Reason = null, StorageLocation = null, WorkOrder = null, Trace = null });
        RoundTrip(Samples.WorkOrder with { Components = [], OrderType = null, ScheduledStart = null, ScheduledFinish = null });
        RoundTrip(Samples.PostingResult with { ErpDocumentNumber = null, FirstAttemptAt = null, Trace = new TraceContext() });
    }

    [Fact]
    public void Quantity_with_more_than_six_decimals_is_refused_not_rounded()
    {
        var codec = AvroCodec.For<Quantity>(Quantity.Schema);
        var act = () => codec.Encode(new Quantity { Value = 0.0000001m, Unit = "KG" });
        act.Should().Throw<AvroException>();
    }

    [Fact]
    public void Command_body_is_the_one_matching_its_type()
    {
        Samples.GoodsMovementCommand.Body.Should().BeSameAs(Samples.GoodsMovementCommand.GoodsMovement);
        Samples.StockCommand.Body.Should().BeSameAs(Samples.StockCommand.StockStatusChange);
        (Samples.GoodsMovementCommand with { CommandType = ErpCommandType.OrderConfirmation }).Body.Should().BeNull();
        (Samples.GoodsMovementCommand with { OrderConfirmation = Samples.ConfirmationCommand.OrderConfirmation }).Body.Should().BeNull();
        (Samples.GoodsMovementCommand with { CommandType = ErpCommandType.Unknown }).Body.Should().BeNull();
    }

    [Fact]
    public void Enum_symbol_added_by_a_newer_writer_reads_as_Unknown()
    {
        // A newer writer adds a posting status; this reader must see Unknown (the enum default), not fail.
        var current = PostingResult.Schema;
        var newer = Schema.Parse(ContractSchemas.GetJson("erp/PostingResult.avsc")
            .Replace("\"DEAD_LETTERED\"\n", "\"DEAD_LETTERED\", \"PARKED\"\n", StringComparison.Ordinal));
        var newerStatus = (EnumSchema)((RecordSchema)newer).GetField("status")!.Schema;
        newerStatus.Symbols.Should().Contain("PARKED");

        var record = (GenericRecord)GenericDatum.Decode(current, newer, AvroCodec.For<PostingResult>(current).Encode(Samples.PostingResult))!;
        record["status"] = new GenericEnum(newerStatus, "PARKED");
        var written = GenericDatum.Encode(newer, record);

        var decoded = AvroCodec.For<PostingResult>(current).Decode(written, newer);
        decoded.Status.Should().Be(PostingStatus.Unknown);
        decoded.IdempotencyKey.Should().Be(Samples.PostingResult.IdempotencyKey);
    }

    private static void RoundTrip<T>(T value)
        where T : IAvroContract<T>
    {
        var codec = AvroCodec.For<T>(T.Schema);
        var bytes = codec.Encode(value);
        var decoded = codec.Decode(bytes);
        decoded.Should().BeEquivalentTo(value, o => o.RespectingRuntimeTypes());
    }
}
