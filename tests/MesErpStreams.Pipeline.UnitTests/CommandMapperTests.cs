using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using static MesErpStreams.Pipeline.UnitTests.TestData;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class CommandMapperTests
{
    private static readonly MappingOptions Options = new();

    private static MasterData Full() => new MasterData()
        .With(Order())
        .With(Material("FG-100", "EA", alt: new UnitConversion { Unit = "BOX", Numerator = 12, Denominator = 1 }))
        .With(Material("RM-7", "KG", batch: true, alt: new UnitConversion { Unit = "G", Numerator = 1, Denominator = 1000 }));

    [Fact]
    public void Production_confirmation_becomes_an_order_confirmation_in_the_base_unit()
    {
        var e = Confirmation(2m, "BOX", final: true);
        var outcome = CommandMapper.Map(MesEvent.From(e), Full(), Now, Options);

        var c = outcome.Command!;
        c.CommandType.Should().Be(ErpCommandType.OrderConfirmation);
        c.IdempotencyKey.Should().Be("OC-" + e.EventId.ToString("N"));
        c.SourceEventIds.Should().Equal(e.EventId);
        c.OrderKey.Should().Be("P100/1000123");
        c.Trace!.Traceparent.Should().Be(TraceParent.Parse(e.Trace!.Traceparent!).Child(c.IdempotencyKey).Value, "the command is the processor's child span of the event");
        c.OrderConfirmation.Should().BeEquivalentTo(new OrderConfirmation
        {
            OrderNumber = "1000123", Operation = "0010", WorkCenter = "WC-A", YieldQuantity = 24m, ScrapQuantity = 0m,
            Unit = "EA", FinalConfirmation = true, Batch = null, ReasonCode = null, PostingDate = new DateOnly(2026, 11, 22),
        });
        c.Body.Should().BeSameAs(c.OrderConfirmation);
    }

    [Fact]
    public void Scrap_becomes_the_scrap_quantity_of_an_order_confirmation()
    {
        var c = CommandMapper.Map(MesEvent.From(Scrap(3m)), Full(), Now, Options).Command!;
        c.OrderConfirmation!.ScrapQuantity.Should().Be(3m);
        c.OrderConfirmation.YieldQuantity.Should().Be(0m);
        c.OrderConfirmation.Operation.Should().Be("0020");
        c.OrderConfirmation.WorkCenter.Should().Be("WC-B", "the operation's work center fills in what the event left out");
        c.OrderConfirmation.ReasonCode.Should().Be("DMG");
    }

    [Fact]
    public void Consumption_becomes_a_goods_issue_to_the_order_with_cost_center_and_storage_location()
    {
        var c = CommandMapper.Map(MesEvent.From(Consumption(1500m, "G")), Full(), Now, Options).Command!;
        c.CommandType.Should().Be(ErpCommandType.GoodsMovement);
        c.IdempotencyKey.Should().StartWith("GM-");
        c.GoodsMovement.Should().BeEquivalentTo(new GoodsMovement
        {
            MovementType = "261", Material = "RM-7", Quantity = 1.5m, BaseUnit = "KG", Batch = "B-1", Plant = "P100",
            StorageLocation = "RM01", OrderNumber = "1000123", CostCenter = "CC-4711", PostingDate = new DateOnly(2026, 11, 22),
        });
    }

    [Theory]
    [InlineData(QualityHoldAction.Placed, StockStatusAction.Block)]
    [InlineData(QualityHoldAction.Released, StockStatusAction.Unblock)]
    public void Quality_hold_blocks_or_unblocks_the_batch(QualityHoldAction action, StockStatusAction expected)
    {
        var c = CommandMapper.Map(MesEvent.From(Hold(action)), Full(), Now, Options).Command!;
        c.CommandType.Should().Be(ErpCommandType.StockStatusChange);
        c.OrderKey.Should().Be("P100/RM-7/B-1");
        c.StockStatusChange!.Action.Should().Be(expected);
        c.StockStatusChange.Quantity.Should().Be(0.5m);
        c.StockStatusChange.BaseUnit.Should().Be("KG");
    }

    [Fact]
    public void Idempotency_key_is_deterministic_and_differs_by_command_type()
    {
        var e = Confirmation();
        var a = CommandMapper.Map(MesEvent.From(e), Full(), Now, Options).Command!;
        var b = CommandMapper.Map(MesEvent.From(e), Full(), Now.AddDays(3), Options).Command!;
        a.IdempotencyKey.Should().Be(b.IdempotencyKey);
        IdempotencyKeys.For(ErpCommandType.GoodsMovement, e.EventId).Should().NotBe(a.IdempotencyKey);
    }

    [Fact]
    public void Missing_work_order_waits_for_master_data() =>
        CommandMapper.Map(MesEvent.From(Confirmation()), new MasterData(), Now, Options).MissingMasterData.Should().Be("work-order:P100/1000123");

    [Fact]
    public void Missing_material_waits_for_master_data() =>
        CommandMapper.Map(MesEvent.From(Confirmation()), new MasterData().With(Order()), Now, Options).MissingMasterData.Should().Be("material:P100/FG-100");

    [Theory]
    [InlineData(WorkOrderStatus.Closed, RejectReasons.OrderClosed)]
    [InlineData(WorkOrderStatus.Deleted, RejectReasons.OrderClosed)]
    [InlineData(WorkOrderStatus.TechnicallyCompleted, RejectReasons.OrderClosed)]
    [InlineData(WorkOrderStatus.Created, RejectReasons.OrderNotReleased)]
    public void Order_that_cannot_take_postings_is_rejected(WorkOrderStatus status, string reason) =>
        CommandMapper.Map(MesEvent.From(Confirmation()), Full().With(Order(status: status)), Now, Options).RejectReason.Should().Be(reason);

    [Fact]
    public void Batch_managed_material_without_batch_is_rejected() =>
        CommandMapper.Map(MesEvent.From(Consumption(batch: null)), Full(), Now, Options).RejectReason.Should().Be(RejectReasons.BatchMissing);

    [Fact]
    public void Unit_without_conversion_is_rejected() =>
        CommandMapper.Map(MesEvent.From(Confirmation(unit: "PAL")), Full(), Now, Options).RejectReason.Should().Be(RejectReasons.UnitNotConvertible);

    [Fact]
    public void Unknown_operation_is_rejected() =>
        CommandMapper.Map(MesEvent.From(Confirmation(op: "0099")), Full(), Now, Options).RejectReason.Should().Be(RejectReasons.OperationUnknown);

    [Fact]
    public void Scrap_of_another_material_is_rejected() =>
        CommandMapper.Map(MesEvent.From(Scrap(material: "RM-7")), Full(), Now, Options).RejectReason.Should().Be(RejectReasons.ScrapMaterialMismatch);

    [Fact]
    public void Hold_on_a_material_without_batches_is_rejected() =>
        CommandMapper.Map(MesEvent.From(Hold()), new MasterData().With(Material("RM-7", "KG")), Now, Options).RejectReason
            .Should().Be(RejectReasons.MaterialNotBatchManaged);
}
