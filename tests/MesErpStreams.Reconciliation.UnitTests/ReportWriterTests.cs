using System.Text.Json;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation.UnitTests;

public sealed class ReportWriterTests
{
    [Fact]
    public void Text_report_lists_unbalanced_figures_and_each_gap_with_key_and_events()
    {
        var s = new Scenario();
        s.Posted(s.Confirmation("1000", "4100001", 10m));
        var lost = s.Consumption("1000", "4100001", "RM-1", 2.5m);
        var c = s.Posted(lost);
        s.Ledger.RemoveAll(d => d.IdempotencyKey == c.IdempotencyKey);
        var w = new StringWriter();

        ReportWriter.WriteText(s.Reconcile(), w, allRows: false);

        var text = w.ToString();
        text.Should().Contain("expected postings 2, in ERP ledger 1").And.Contain("gaps: 1");
        text.Should().Contain($"missing [not-in-ledger] plant 1000 order 4100001 key {c.IdempotencyKey} events {lost.EventId:D}");
        text.Should().Contain("consumed RM-1 2.5 KG");
        text.Should().MatchRegex(@"1000\s+4100001\s+consumed\s+RM-1\s+KG\s+2\.5\s+0\s+-2\.5\s+1\s+0");
        text.Should().NotMatchRegex(@"1000\s+4100001\s+confirmed", "balanced figures are left out without --all-rows");
    }

    [Fact]
    public void Json_report_carries_gaps_rows_and_completeness()
    {
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 10m);
        s.CommandFor(e);
        using var buffer = new MemoryStream();

        ReportWriter.WriteJson(s.Reconcile(), buffer);

        using var doc = JsonDocument.Parse(buffer.ToArray());
        var root = doc.RootElement;
        root.GetProperty("gapCount").GetInt32().Should().Be(1);
        root.GetProperty("completeness").GetDouble().Should().Be(0d);
        var gap = root.GetProperty("gaps")[0];
        gap.GetProperty("kind").GetString().Should().Be("missing");
        gap.GetProperty("stage").GetString().Should().Be("not-posted");
        gap.GetProperty("eventIds")[0].GetGuid().Should().Be(e.EventId);
        gap.GetProperty("expected")[0].GetProperty("quantity").GetDecimal().Should().Be(10m);
        gap.GetProperty("actual").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("rows")[0].GetProperty("mesQuantity").GetDecimal().Should().Be(10m);
        root.GetProperty("plants")[0].GetProperty("plant").GetString().Should().Be("1000");
    }

    [Fact]
    public void A_reconciliation_that_compared_nothing_says_nothing_settled_yet_instead_of_100_percent()
    {
        // What broke (first plant trial): "in flight 5 … expected postings 0 … completeness 100.00 %" with the default
        // --settle 2m right after a short run: nothing had been checked.
        var s = new Scenario();
        var e = s.Confirmation("1000", "4100001", 10m);
        s.Posted(e);
        var r = s.Reconcile(new ReconcileScope { SettledBefore = e.OccurredAt.AddHours(-1) });
        var w = new StringWriter();
        using var buffer = new MemoryStream();

        ReportWriter.WriteText(r, w, allRows: false);
        ReportWriter.WriteJson(r, buffer);

        r.NothingSettled.Should().BeTrue();
        w.ToString().Should().Contain("in flight 1").And.Contain("expected postings 0").And.Contain("nothing settled yet").And.NotContain("100.00");
        using var doc = JsonDocument.Parse(buffer.ToArray());
        doc.RootElement.GetProperty("completeness").ValueKind.Should().Be(JsonValueKind.Null);
        doc.RootElement.GetProperty("nothingSettled").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public void Ledger_api_entries_parse_into_documents()
    {
        using var doc = JsonDocument.Parse("""
            {"documentNumber":"4900000007","idempotencyKey":"GM-1","documentType":"GOODS_MOVEMENT","plant":"1000","orderNumber":"4100001",
             "material":"RM-1","movementType":"261","quantity":2.500000,"scrapQuantity":0,"unit":"KG","sequenceKey":"4100001","sequence":3,
             "postedAt":"2026-03-02T06:00:01.5+00:00","payload":"{}"}
            """);

        var d = ErpLedgerClient.Parse(doc.RootElement);

        d.Should().Be(new LedgerDocument("4900000007", "GM-1", "GOODS_MOVEMENT", "1000", "4100001", "RM-1", null, "261", 2.5m, 0m, "KG",
            new DateTimeOffset(2026, 3, 2, 6, 0, 1, 500, TimeSpan.Zero)));
        Effect.Of(d).Should().Equal(new Effect(Measure.Consumed, "RM-1", 2.5m, "KG"));
    }
}
