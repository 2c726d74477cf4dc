using Confluent.Kafka;

namespace MesErpStreams.Streams;

/// <summary>
/// One record flowing through a topology: key, value, timestamp and headers. Immutable; derive changed copies
/// with <c>with</c> (<c>record with { Value = mapped }</c>).
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
/// <param name="Key">The record key (may be null for keyless records).</param>
/// <param name="Value">The record value (null is a tombstone on compacted topics).</param>
/// <param name="Timestamp">Event time of the record; drives stream time and stream-time punctuation.</param>
/// <param name="Headers">
/// Kafka headers, propagated to outputs unless replaced. Confluent's <see cref="Confluent.Kafka.Headers"/> type is
/// mutable: treat an instance you did not create as read-only and build a new one to change headers.
/// </param>
public sealed record Record<TKey, TValue>(TKey Key, TValue Value, DateTimeOffset Timestamp, Headers? Headers = null);
