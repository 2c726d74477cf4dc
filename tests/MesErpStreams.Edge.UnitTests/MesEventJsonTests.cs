using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Domain;

namespace MesErpStreams.Edge.UnitTests;

public sealed class MesEventJsonTests
{
    private const string Confirmation = """{"type":"ProductionConfirmation","eventId":"6f1c1d2e-8a41-4c55-9a1e-0b6f6f3f8a10","plant":"1000","sourceSystem":"MES-A","occurredAt":"2026-11-22T05:00:00Z","sequence":1,"workOrder":"100001","operation":"0010","workCenter":"WC-10","yieldQuantity":{"value":12.5,"unit":"PC"},"finalConfirmation":false}""";

    [Fact]
    public void A_valid_line_becomes_an_event_with_its_topic_and_key()
    {
        MesEventJson.TryParse(Confirmation, out var e, out var error).Should().BeTrue(error);
        e!.Kind.Should().Be(EventKind.ProductionConfirmation);
        e.Topic.Should().Be(PipelineTopology.Topics.ProductionConfirmations);
        e.Key.Should().Be("1000/100001");
        e.EventId.Should().Be(Guid.Parse("6f1c1d2e-8a41-4c55-9a1e-0b6f6f3f8a10"));
    }

    [Fact]
    public void Quantities_may_be_strings_and_hold_actions_any_case()
    {
        var line = """{"type":"QualityHold","eventId":"6f1c1d2e-8a41-4c55-9a1e-0b6f6f3f8a11","plant":"1000","sourceSystem":"MES-A","occurredAt":"2026-11-22T05:00:00Z","sequence":2,"holdId":"H1","action":"placed","material":"FG-1","batch":"B7","quantity":{"value":"3.125","unit":"PC"},"reasonCode":"Q1"}""";
        MesEventJson.TryParse(line, out var e, out var error).Should().BeTrue(error);
        e!.Key.Should().Be("1000/FG-1/B7");
    }

    [Theory]
    [InlineData("not json", "invalid")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"plant":"1000"}""", "no \"type\"")]
    [InlineData("""{"type":"Banana","plant":"1000"}""", "unknown type")]
    [InlineData("""{"type":"ProductionConfirmation","plant":"1000"}""", "eventId")]
    [InlineData("""{"type":"QualityHold","eventId":"6f1c1d2e-8a41-4c55-9a1e-0b6f6f3f8a11","plant":"1","sourceSystem":"M","occurredAt":"2026-11-22T05:00:00Z","sequence":2,"holdId":"H1","action":"MAYBE","material":"FG-1","batch":"B7","reasonCode":"Q1"}""", "PLACED or RELEASED")]
    public void Bad_lines_are_rejected_with_a_reason(string line, string reason)
    {
        MesEventJson.TryParse(line, out var e, out var error).Should().BeFalse();
        e.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void A_rejected_line_names_the_field_without_dotnet_type_or_parameter_names()
    {
        // First plant trial: "could not be converted to MesErpStreams.Contracts.Mes.ProductionConfirmation. Path:
        // $.eventId | LineNumber: 0 | BytePositionInLine: 45." and "(Parameter 'mesEvent')".
        MesEventJson.TryParse("""{"type":"ProductionConfirmation","eventId":12}""", out _, out var wrongType).Should().BeFalse();
        wrongType.Should().Be("field eventId: the value has the wrong type or format");

        MesEventJson.TryParse("""{"type":"ScrapReport","eventId":"6f1c1d2e-8a41-4c55-9a1e-0b6f6f3f8a11"}""", out _, out var missing).Should().BeFalse();
        missing.Should().StartWith("missing required field(s): 'plant'");

        foreach (var error in new[] { wrongType, missing })
        {
            error.Should().NotContain("MesErpStreams.").And.NotContain("LineNumber").And.NotContain("(Parameter");
        }
    }

    [Fact]
    public void A_quantity_with_more_decimals_than_the_schema_allows_is_rejected()
    {
        var line = Confirmation.Replace("12.5", "1.1234567", StringComparison.Ordinal);
        MesEventJson.TryParse(line, out _, out var error).Should().BeFalse();
        error.Should().Contain("Avro");
    }

    [Fact]
    public void Format_and_parse_round_trip_every_event_type()
    {
        object[] events =
        [
            new ScrapReport { EventId = Guid.NewGuid(), Plant = "1", SourceSystem = "S", OccurredAt = DateTimeOffset.UnixEpoch, Sequence = 1, WorkOrder = "W", Operation = "0010", Material = "M", Quantity = new Quantity { Value = 1.5m, Unit = "KG" }, ReasonCode = "R" },
            new MaterialConsumption { EventId = Guid.NewGuid(), Plant = "1", SourceSystem = "S", OccurredAt = DateTimeOffset.UnixEpoch, Sequence = 2, WorkOrder = "W", Operation = "0010", ComponentMaterial = "C", Quantity = new Quantity { Value = 2m, Unit = "G" }, Batch = "B" },
            new QualityHold { EventId = Guid.NewGuid(), Plant = "1", SourceSystem = "S", OccurredAt = DateTimeOffset.UnixEpoch, Sequence = 3, HoldId = "H", Action = QualityHoldAction.Released, Material = "M", Batch = "B", ReasonCode = "Q" },
        ];
        foreach (var e in events)
        {
            var line = MesEventJson.Format(e);
            MesEventJson.TryParse(line, out var parsed, out var error).Should().BeTrue(error);
            parsed!.Body.ToArray().Should().Equal(EdgeEvent.From(e).Body.ToArray());
        }
    }
}
