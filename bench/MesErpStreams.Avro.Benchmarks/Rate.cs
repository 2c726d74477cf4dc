using System.Diagnostics;

namespace MesErpStreams.Avro.Benchmarks;

/// <summary>
/// Plain Stopwatch measurement: a warm-up, then a fixed wall time of calls in batches of 1024 records; reports
/// records per second and bytes allocated per record on this thread.
/// </summary>
internal static class Rate
{
    public static (double PerSecond, double BytesPerRecord) Measure(double seconds, Action<int> op)
    {
        var warmup = Stopwatch.StartNew();
        var n = 0;
        while (warmup.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 3))
        {
            op(n++ & 1023);
        }

        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1024; i++)
            {
                op(i);
            }

            count += 1024;
        }

        watch.Stop();
        return (count / watch.Elapsed.TotalSeconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)count);
    }
}
