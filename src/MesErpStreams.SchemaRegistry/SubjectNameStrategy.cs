namespace MesErpStreams.SchemaRegistry;

/// <summary>How a serializer derives the registry subject from the topic and the record (Confluent's strategies).</summary>
public enum SubjectNameStrategy
{
    /// <summary><c>&lt;topic&gt;-key</c> / <c>&lt;topic&gt;-value</c>: one schema lineage per topic (default).</summary>
    Topic = 0,

    /// <summary>The record's full name: one lineage per record type, across topics.</summary>
    Record,

    /// <summary><c>&lt;topic&gt;-&lt;record full name&gt;</c>: several record types per topic.</summary>
    TopicRecord,
}
