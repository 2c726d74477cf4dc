using System.Diagnostics;
using System.Globalization;
using MesErpStreams.Harness;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// Watches a multi-process point's publisher every <see cref="Interval"/> until it exits: its event counter (its
/// <c>/metrics</c>), the ERP ledger's document count and the CPU time of every process, publisher included. The offer
/// window is cut from these samples afterwards: it opens at the last sample before the first event (so the
/// publisher's process start-up is not offered time) and closes at the first sample that has every event (so its
/// shutdown is not either); each end is exact to one interval.
/// </summary>
internal static class OfferSampler
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>One sample: time since the publisher started, events it had published (null: its endpoint did not answer), ledger documents, CPU time of all processes.</summary>
    public readonly record struct Sample(TimeSpan At, long? Events, long Ledger, TimeSpan Cpu);

    public static async Task<IReadOnlyList<Sample>> SampleAsync(ChildProcess publisher, int metricsPort, HttpClient erp, Func<TimeSpan> cpuOfServices,
        TimeSpan deadline, CancellationToken ct)
    {
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/"), Timeout = TimeSpan.FromSeconds(1) };
        var samples = new List<Sample>();
        var publisherCpu = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        publisher.Start();
        while (publisher.Running && clock.Elapsed < deadline)
        {
            var events = await PublishedAsync(metrics, ct);
            var at = clock.Elapsed;
            var ledger = await ErpLedger.CountAsync(erp, ct);
            // Its CPU time is gone once it has exited: keep the last one read.
            publisherCpu = publisher.TotalProcessorTime ?? publisherCpu;
            samples.Add(new Sample(at, events, ledger, cpuOfServices() + publisherCpu));
            await Task.Delay(Interval, ct);
        }

        return samples;
    }

    /// <summary>The samples that open and close the offer window, or null when no sample saw an event.</summary>
    public static (Sample First, Sample Last)? Window(IReadOnlyList<Sample> samples, long eventsPublished)
    {
        var list = samples.ToList();
        var firstEvent = list.FindIndex(s => s.Events > 0);
        if (firstEvent < 0)
        {
            return null;
        }

        // Opens at the sample before the first event (the endpoint starts before the simulator publishes anything).
        var first = list[Math.Max(0, firstEvent - 1)];
        // Closes at the first sample with every event; when the publisher exited before one was taken, at the first
        // sample after its endpoint went away.
        var lastIndex = list.FindIndex(firstEvent, s => s.Events >= eventsPublished);
        if (lastIndex < 0)
        {
            lastIndex = Math.Min(list.FindLastIndex(s => s.Events is not null) + 1, list.Count - 1);
        }

        return (first, list[lastIndex]);
    }

    /// <summary>The publisher's <c>meserp.edge.simulator.events{kind="all"}</c> from its Prometheus text, or null.</summary>
    private static async Task<long?> PublishedAsync(HttpClient metrics, CancellationToken ct)
    {
        try
        {
            var text = await metrics.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
            return ParseEvents(text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static long? ParseEvents(string prometheusText)
    {
        foreach (var line in prometheusText.Split('\n'))
        {
            if (!line.StartsWith('#') && line.Contains("simulator_events", StringComparison.Ordinal) && line.Contains("kind=\"all\"", StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return (long)v;
            }
        }

        return null;
    }
}
