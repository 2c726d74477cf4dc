using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation.UnitTests;

public sealed class ReconcilerTests
{
    [Fact]
    public void Fully_posted_events_reconcile_without_gaps_and_balance_per_order()
    {
        var s = new Scenario();
        s.Posted(s.Confirmation("1000", "4100001", 10m));
        s.Posted(s.Confirmation("1000", "4100001", 5.5m));
        s.Posted(s.Consumption("1000", "4100001", "RM-1", 2.25m));
        s.Posted(s.Hold("1000", "4100001", "FG-1", "B1", placed: true, 15.5m));
        s.Posted(s.Hold("1000", "4100001", "FG-1", "B1", placed: false, 15.5m));
        s.Posted(s.Confirmation("2000", "4200001", 7m));

        var r = s.Reconcile();

        r.Gaps.Should().BeEmpty();
        r.ExpectedPostings.Should().Be(6);
        r.PostingsInLedger.Should().Be(6);
        r.Completeness.Should().Be(1d);
        r.Plants.Select(p => (p.Plant, p.Ratio)).Should().Equal(("1000", 1d), ("2000", 1d));
        r.Rows.Should().OnlyContain(x => x.Balanced);
        var confirmed = r.Rows.Single(x => x.Plant == "1000" && x.Measure == Measure.Confirmed);
        (confirmed.MesQuantity, confirmed.ErpQuantity, confirmed.MesDocuments).Should().Be((15.5m, 15.5m, 2));
        r.Rows.Single(x => x.Measure == Measure.Consumed).Material.Should().Be("RM-1");
        r.Rows.Should().Contain(x => x.Measure == Measure.HoldPlaced && x.ErpDocuments == 1).And.Contain(x => x.Measure == Measure.HoldReleased && x.ErpDocuments == 1);
    }

    [Fact]
    public void Deleted_ledger_entry_is_exactly_one_missing_gap_naming_its_key_and_event()
    {
        var s = new Scenario();
        s.Posted(s.Confirmation("1000", "4100001", 10m));
        var lost = s.Confirmation("1000", "4100001", 4m);
        var c = s.Posted(lost);
        s.Posted(s.Consumption("1000", "4100002", "RM-1", 1m));
        s.Ledger.RemoveAll(d => d.IdempotencyKey == c.IdempotencyKey);

        var r = s.Reconcile();

        var gap = r.Gaps.Should().ContainSingle().Subject;
        (gap.Kind, gap.Stage, gap.IdempotencyKey, gap.Plant, gap.Order).Should().Be((GapKind.Missing, GapStages.NotInLedger, c.IdempotencyKey, "1000", "4100001"));
        gap.EventIds.Should().Equal(lost.EventId);
        gap.Expected.Should().Equal(new Effect(Measure.Confirmed, null, 4m, "PC"));
        r.Completeness.Should().BeApproximately(2d / 3, 1e-9);
        var row = r.Rows.Single(x => x.Order == "4100001" && x.Measure == Measure.Confirmed);
        (row.MesQuantity, row.ErpQuantity).Should().Be((14m, 10m));
    }

    [Fact]
    public void Event_without_command_is_missing_unless_the_pipeline_dead_lettered_it()
    {
        var s = new Scenario();
        var lost = s.Confirmation("1000", "4100001", 3m);
        var invalid = s.Consumption("1000", "4100001", "RM-1", -1m);
        s.DeadLetters[invalid.EventId] = "QUANTITY_NOT_POSITIVE";

        var r = s.Reconcile();

        var gap = r.Gaps.Should().ContainSingle().Subject;
        (gap.Kind, gap.Stage).Should().Be((GapKind.Missing, GapStages.NoCommand));
        gap.EventIds.Should().Equal(lost.EventId);
        r.Rejected.Should().ContainSingle().Which.Should().Be(new RejectedEvent(invalid.EventId, "MaterialConsumption", "1000", "4100001", "QUANTITY_NOT_POSITIVE"));
        r.ExpectedPostings.Should().Be(1, "a rejected event is not expected in the ERP");
    }

    [Fact]
    public void A_replayed_dead_letter_that_was_posted_is_not_rejected()
    {
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 3m);
        s.DeadLetters[e.EventId] = "MASTER_DATA_MISSING";
        s.Posted(e);

        var r = s.Reconcile();

        r.Gaps.Should().BeEmpty();
        r.Rejected.Should().BeEmpty();
        r.PostingsInLedger.Should().Be(1);
    }

    [Theory]
    [InlineData(null, GapStages.NotPosted)]
    [InlineData(PostingStatus.Rejected, GapStages.ErpRejected)]
    [InlineData(PostingStatus.DeadLettered, GapStages.SinkDeadLettered)]
    [InlineData(PostingStatus.Posted, GapStages.NotInLedger)]
    public void Command_not_in_the_ledger_names_the_broken_link(PostingStatus? result, string stage)
    {
        var s = new Scenario();
        var c = s.CommandFor(s.Confirmation("1000", "4100001", 3m));
        if (result is { } status)
        {
            s.ResultFor(c, status, status == PostingStatus.Rejected ? "ORDER_LOCKED" : null);
        }

        var gap = s.Reconcile().Gaps.Should().ContainSingle().Subject;
        (gap.Kind, gap.Stage, gap.IdempotencyKey).Should().Be((GapKind.Missing, stage, c.IdempotencyKey));
        if (result == PostingStatus.Rejected)
        {
            gap.Detail.Should().Contain("ORDER_LOCKED");
        }
    }

    [Fact]
    public void Command_waiting_in_a_retry_tier_is_a_gap_that_says_so()
    {
        var s = new Scenario();
        var c = s.CommandFor(s.Confirmation("1000", "4100001", 3m));
        s.Retrying[c.IdempotencyKey] = new RetryState(2, 2, "server-error: injected server error", Scenario.T0.AddHours(1));

        var gap = s.Reconcile().Gaps.Should().ContainSingle().Subject;

        (gap.Kind, gap.Stage).Should().Be((GapKind.Missing, GapStages.Retrying));
        gap.Detail.Should().Contain("retry tier 2 after 2 failed attempts (last: server-error: injected server error)");
    }

    [Fact]
    public void A_later_successful_retry_settles_an_earlier_failed_result()
    {
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 3m);
        var c = s.CommandFor(e);
        s.ResultFor(c, PostingStatus.Posted);
        s.Results.Add(s.Results[0] with { Status = PostingStatus.DeadLettered, CompletedAt = s.Results[0].CompletedAt.AddMinutes(-5) });

        var gap = s.Reconcile().Gaps.Should().ContainSingle().Subject;
        gap.Stage.Should().Be(GapStages.NotInLedger, "the POSTED result wins over a failed one");
    }

    [Fact]
    public void Ledger_quantity_differing_from_the_command_is_a_quantity_mismatch()
    {
        var s = new Scenario();
        var c = s.CommandFor(s.Consumption("1000", "4100001", "RM-1", 2.5m));
        s.ResultFor(c);
        s.LedgerFor(c, quantity: 2.4m);

        var r = s.Reconcile();

        var gap = r.Gaps.Should().ContainSingle().Subject;
        (gap.Kind, gap.Stage).Should().Be((GapKind.QuantityMismatch, GapStages.Ledger));
        gap.Expected.Should().Equal(new Effect(Measure.Consumed, "RM-1", 2.5m, "KG"));
        gap.Actual.Should().Equal(new Effect(Measure.Consumed, "RM-1", 2.4m, "KG"));
        r.PostingsInLedger.Should().Be(1, "the document exists; its quantity is the gap");
    }

    [Fact]
    public void Trailing_zeros_are_not_a_mismatch()
    {
        var s = new Scenario();
        var c = s.CommandFor(s.Confirmation("1000", "4100001", 2.5m));
        s.ResultFor(c);
        s.LedgerFor(c, quantity: 2.500000m);

        s.Reconcile().Gaps.Should().BeEmpty();
    }

    [Fact]
    public void Command_differing_from_the_mapped_event_is_a_quantity_mismatch_at_the_command()
    {
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 12m);
        var wrong = s.CommandFor(e, quantity: 1m);
        s.ResultFor(wrong);
        s.LedgerFor(wrong);
        var mapped = wrong with { OrderConfirmation = wrong.OrderConfirmation! with { YieldQuantity = 12m } };
        s.Events[0] = s.Events[0] with { Mapped = mapped };

        var gap = s.Reconcile().Gaps.Should().ContainSingle().Subject;
        (gap.Kind, gap.Stage).Should().Be((GapKind.QuantityMismatch, GapStages.Command));
        gap.Expected.Should().Equal(new Effect(Measure.Confirmed, null, 12m, "PC"));
        gap.Actual.Should().Equal(new Effect(Measure.Confirmed, null, 1m, "PC"));
    }

    [Fact]
    public void Ledger_document_no_event_explains_is_extra_but_one_of_a_known_event_outside_the_range_is_not()
    {
        var s = new Scenario();
        var early = s.Confirmation("1000", "4100001", 1m);
        s.Posted(early);
        s.Posted(s.Confirmation("1000", "4100001", 2m));
        s.Ledger.Add(new LedgerDocument("D99", "MANUAL-1", LedgerDocument.GoodsMovement, "1000", "4100001", "RM-9", null, "261", 3m, 0m, "KG", Scenario.T0.AddMinutes(30)));
        s.Ledger.Add(new LedgerDocument("D98", "LATE-1", LedgerDocument.GoodsMovement, "1000", "4100001", "RM-9", null, "261", 3m, 0m, "KG", s.Snapshot.AddSeconds(1)));

        var r = s.Reconcile(new ReconcileScope { From = early.OccurredAt.AddSeconds(1) });

        var gap = r.Gaps.Should().ContainSingle("the early event's document is explained, the late one may belong to an event not read yet").Subject;
        (gap.Kind, gap.IdempotencyKey, gap.Order).Should().Be((GapKind.Extra, "MANUAL-1", "4100001"));
        gap.EventIds.Should().BeEmpty();
        r.ExpectedPostings.Should().Be(1);
        r.Rows.Single(x => x.Measure == Measure.Consumed).ErpQuantity.Should().Be(3m);
    }

    [Fact]
    public void Events_published_within_the_settle_time_are_in_flight_not_gaps()
    {
        var s = new Scenario();
        s.Posted(s.Confirmation("1000", "4100001", 1m));
        var recent = s.Confirmation("1000", "4100001", 2m, at: Scenario.T0.AddHours(1));

        var r = s.Reconcile(new ReconcileScope { SettledBefore = recent.OccurredAt });

        r.Gaps.Should().BeEmpty();
        r.InFlight.Should().Be(1);
        r.EventsInScope.Should().Be(2);
        r.ExpectedPostings.Should().Be(1);
    }

    [Fact]
    public void An_event_corrected_and_sent_again_under_its_id_is_reconciled_against_the_version_that_was_posted()
    {
        // What broke (first plant trial): the first version (5 PC) was dead-lettered, the corrected one (6 PC) was posted
        // under the same event id, and reconcile compared the first with the ledger: a quantity mismatch forever.
        var s = new Scenario();
        var first = s.Confirmation("1000", "4100001", 5m);
        s.Events[^1] = s.Events[^1] with { Position = "mes.events.production-confirmations[0]@7" };
        var corrected = MesEvent.From((ProductionConfirmation)first.Payload with { YieldQuantity = new Quantity { Value = 6m, Unit = "PC" } });
        s.Events.Add(new ObservedEvent(corrected, s.Events[^1].RecordTime.AddMinutes(5), Position: "mes.events.production-confirmations[0]@9"));
        var command = s.Posted(corrected);
        s.CommandOrigins[command.IdempotencyKey] = "mes.events.production-confirmations[0]@9";

        var r = s.Reconcile();

        r.Gaps.Should().BeEmpty();
        r.Superseded.Should().ContainSingle().Which.Should().Be(new SupersededEvent(first.EventId, "mes.events.production-confirmations[0]@7", "mes.events.production-confirmations[0]@9"));
        var text = new StringWriter();
        ReportWriter.WriteText(r, text, allRows: false);
        text.ToString().Should().Contain($"{first.EventId:D} at mes.events.production-confirmations[0]@7: superseded by mes.events.production-confirmations[0]@9, which was posted");
    }

    [Fact]
    public void Duplicate_deliveries_of_an_event_are_expected_once()
    {
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 1m);
        s.Events.Add(s.Events[0] with { RecordTime = s.Events[0].RecordTime.AddSeconds(3) });
        s.Posted(e);

        var r = s.Reconcile();

        r.Gaps.Should().BeEmpty();
        r.ExpectedPostings.Should().Be(1);
        r.EventRecords.Should().Be(2);
    }

    [Fact]
    public void Plant_work_order_and_time_filters_limit_events_and_ledger_documents()
    {
        var s = new Scenario();
        var inside = s.Confirmation("1000", "4100001", 1m);
        s.CommandFor(inside); // not posted: the one gap in scope
        s.CommandFor(s.Confirmation("1000", "4100002", 1m));
        s.CommandFor(s.Confirmation("2000", "4100001", 1m));
        s.Ledger.Add(new LedgerDocument("D99", "MANUAL-2", LedgerDocument.OrderConfirmation, "2000", "4200009", null, null, null, 3m, 0m, "PC", Scenario.T0));

        var r = s.Reconcile(new ReconcileScope { Plant = "1000", WorkOrder = "4100001" });

        r.Gaps.Should().ContainSingle().Which.EventIds.Should().Equal(inside.EventId);
        s.Reconcile(new ReconcileScope { To = inside.OccurredAt }).Gaps.Should().ContainSingle().Which.Kind.Should().Be(GapKind.Extra);
    }
}
