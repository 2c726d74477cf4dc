namespace MesErpStreams.Streams;

/// <summary>Where the input record currently being processed came from.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Offset of the record in its partition.</param>
public readonly record struct RecordOrigin(string Topic, int Partition, long Offset);
