namespace MesErpStreams.Observability.Internal;

/// <summary>Position, end offset and last record timestamp of one partition (written by the consumer, read by the collector).</summary>
internal sealed class LagCell
{
#pragma warning disable CA1051, SA1401 // fields, so Volatile/Interlocked can take them by reference
    public long Position = -1;
    public long End = -1;
    public long TimestampMs;
#pragma warning restore CA1051, SA1401

    public bool Known => Volatile.Read(ref Position) >= 0 && Volatile.Read(ref End) >= 0;

    public long Lag => Math.Max(0, Volatile.Read(ref End) - Volatile.Read(ref Position));
}
