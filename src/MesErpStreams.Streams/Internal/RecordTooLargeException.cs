namespace MesErpStreams.Streams.Internal;

/// <summary>An output record exceeds <see cref="DeadLetterOptions.MaxRecordBytes"/>.</summary>
internal sealed class RecordTooLargeException(string topic, long size, int max)
    : Exception($"output record for topic '{topic}' is {size} bytes, above the limit of {max} bytes");
