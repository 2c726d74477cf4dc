namespace MesErpStreams.Streams;

/// <summary>Where a record failed; named in dead-letter headers and the dead-letter metric's <c>stage</c> tag.</summary>
public enum ErrorStage
{
    /// <summary>The source key or value could not be deserialized.</summary>
    Deserialize,

    /// <summary>A processor threw while handling the record.</summary>
    Process,

    /// <summary>A sink could not serialize an output record.</summary>
    Serialize,

    /// <summary>An output record is larger than <see cref="DeadLetterOptions.MaxRecordBytes"/>.</summary>
    Produce,
}
