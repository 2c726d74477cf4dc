using Confluent.Kafka;

namespace MesErpStreams.Streams.Internal;

/// <summary>One serialized (or serializing) output record held until its input record finished successfully.</summary>
internal record struct PendingOutput(
    string Sink, string Topic, byte[]? Key, byte[]? Value, Task<byte[]>? KeyTask, Task<byte[]>? ValueTask, Headers? Headers, long TimestampMs);

/// <summary>
/// Outputs of the record being processed. They reach the producer only when the whole record succeeded, so a failed
/// record (dead-lettered) has no partial output.
/// </summary>
internal sealed class OutputBuffer
{
    private PendingOutput[] _items = new PendingOutput[16];

    public int Count { get; private set; }

    public bool HasAsync { get; private set; }

    public ref PendingOutput this[int index] => ref _items[index];

    public void Add(in PendingOutput output)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
        }

        _items[Count++] = output;
        HasAsync |= output.KeyTask is not null || output.ValueTask is not null;
    }

    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
        HasAsync = false;
    }
}
