using System.Diagnostics;
namespace MesErpStreams.Observability.UnitTests;
public sealed class ZzPerfProbe
{
    [Fact]
    public void Probe()
    {
        using var t = new TestMeter();
        var c = t.Meter.CreateCounter<long>("meserp.test.perf");
        var h = t.Meter.CreateHistogram<double>("meserp.test.perf_latency", "s");
        var a = new KeyValuePair<string, object?>("topic", "mes.events.scrap-reports");
        var b = new KeyValuePair<string, object?>("application", "meserp-processor");
        for (var i = 0; i < 100_000; i++) { c.Add(1, a, b); h.Record(0.003, a, b); }
        const int n = 2_000_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) { c.Add(1, a, b); }
        var counterNs = sw.Elapsed.TotalNanoseconds / n;
        sw.Restart();
        for (var i = 0; i < n; i++) { h.Record(i * 1e-6, a, b); }
        var histNs = sw.Elapsed.TotalNanoseconds / n;
        var alloc = GC.GetAllocatedBytesForCurrentThread() - before;
        for (var i = 0; i < 500; i++) { c.Add(1, new KeyValuePair<string, object?>("k", i.ToString(System.Globalization.CultureInfo.InvariantCulture))); }
        sw.Restart();
        var text = t.Exporter.Scrape();
        var scrapeMs = sw.Elapsed.TotalMilliseconds;
        File.WriteAllText("/tmp/obs-perf.txt", $"counter {counterNs:F1} ns/op, histogram {histNs:F1} ns/op, allocated {alloc} B over {2 * n} ops, scrape of {text.Split('\n').Length} lines {scrapeMs:F1} ms\n");
    }
}
