using System.Diagnostics.Metrics;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation.UnitTests;

public sealed class ReconcileMetricsTests
{
    [Fact]
    public void Gauges_report_the_latest_completeness_per_plant_and_gaps_per_kind_including_zeros()
    {
        var s = new Scenario();
        s.Posted(s.Confirmation("1000", "4100001", 1m));
        s.CommandFor(s.Confirmation("1000", "4100001", 1m)); // never posted
        s.Posted(s.Confirmation("2000", "4200001", 1m));
        ReconcileMetrics.Record(s.Reconcile());

        var seen = new List<(string Name, double Value, Dictionary<string, string> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ReconcileMetrics.MeterName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!)));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();
        listener.RecordObservableInstruments();

        seen.Where(m => m.Name == "meserp.reconciliation.completeness").Select(m => (m.Tags["plant"], m.Value))
            .Should().BeEquivalentTo([("1000", 0.5), ("2000", 1d)]);
        var gaps = seen.Where(m => m.Name == "meserp.reconciliation.gaps").ToList();
        gaps.Should().HaveCount(6, "three kinds for each of two plants");
        gaps.Single(m => m.Tags["plant"] == "1000" && m.Tags["kind"] == "missing").Value.Should().Be(1);
        gaps.Where(m => !(m.Tags["plant"] == "1000" && m.Tags["kind"] == "missing")).Should().OnlyContain(m => m.Value == 0);
        seen.Should().ContainSingle(m => m.Name == "meserp.reconciliation.last_run_timestamp")
            .Which.Value.Should().Be(Scenario.T0.AddHours(2).ToUnixTimeMilliseconds() / 1000d);
    }
}
