using Microsoft.Extensions.Logging;

namespace MesErpStreams.Streams.Internal;

/// <summary>What every task of an instance (or of the test driver) shares.</summary>
internal sealed class TaskServices(
    string applicationId,
    TimeProvider time,
    ILogger logger,
    DeadLetterOptions deadLetter,
    IRecordCollector collector,
    StreamsMetrics metrics,
    IReadOnlyDictionary<string, GlobalTable> globalTables)
{
    public string ApplicationId { get; } = applicationId;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public DeadLetterOptions DeadLetter { get; } = deadLetter;

    public IRecordCollector Collector { get; } = collector;

    public StreamsMetrics Metrics { get; } = metrics;

    public IReadOnlyDictionary<string, GlobalTable> GlobalTables { get; } = globalTables;
}
