using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using static MesErpStreams.Pipeline.UnitTests.TestData;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class EventValidatorTests
{
    private static string? Validate(MesEvent e) => EventValidator.Validate(e, Now, TimeSpan.FromMinutes(5), out _);

    [Fact]
    public void Valid_events_pass()
    {
        Validate(MesEvent.From(Confirmation())).Should().BeNull();
        Validate(MesEvent.From(Scrap())).Should().BeNull();
        Validate(MesEvent.From(Consumption())).Should().BeNull();
        Validate(MesEvent.From(Hold())).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Zero_or_negative_quantity_is_rejected(decimal qty) =>
        Validate(MesEvent.From(Confirmation(qty))).Should().Be(RejectReasons.QuantityNotPositive);

    [Fact]
    public void Zero_yield_is_allowed_on_a_final_confirmation() =>
        Validate(MesEvent.From(Confirmation(0m, final: true))).Should().BeNull();

    [Theory]
    [InlineData("")]
    [InlineData("kilo gram")]
    [InlineData("1000")]
    [InlineData("TOOLONG7")]
    public void Unknown_unit_is_rejected(string unit) =>
        Validate(MesEvent.From(Confirmation(unit: unit))).Should().Be(RejectReasons.UnitUnknown);

    [Fact]
    public void Event_from_the_future_beyond_the_clock_skew_is_rejected()
    {
        Validate(MesEvent.From(Confirmation() with { OccurredAt = Now.AddMinutes(6) })).Should().Be(RejectReasons.OccurredInFuture);
        Validate(MesEvent.From(Confirmation() with { OccurredAt = Now.AddMinutes(4) })).Should().BeNull();
    }

    [Fact]
    public void Order_bound_event_without_work_order_is_rejected()
    {
        Validate(MesEvent.From(Scrap() with { WorkOrder = " " })).Should().Be(RejectReasons.WorkOrderMissing);
        Validate(MesEvent.From(Hold() with { WorkOrder = null })).Should().BeNull("holds are not order-bound");
    }

    [Fact]
    public void Hold_with_unknown_action_is_rejected() =>
        Validate(MesEvent.From(Hold(QualityHoldAction.Unknown))).Should().Be(RejectReasons.UnknownAction);

    [Fact]
    public void Rejection_explains_itself()
    {
        EventValidator.Validate(MesEvent.From(Consumption(-3m)), Now, TimeSpan.FromMinutes(5), out var detail);
        detail.Should().Contain("-3").And.Contain("KG");
    }

    [Fact]
    public void Hold_quantity_is_optional() =>
        Validate(MesEvent.From(Hold() with { Quantity = null })).Should().BeNull();

    [Fact]
    public void Empty_plant_is_rejected() =>
        Validate(MesEvent.From(Confirmation() with { Plant = "" })).Should().Be(RejectReasons.FieldMissing);

    [Fact]
    public void Quantity_type_is_a_decimal_end_to_end() =>
        typeof(Quantity).GetProperty(nameof(Quantity.Value))!.PropertyType.Should().Be<decimal>();
}
