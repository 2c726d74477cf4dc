using System.Buffers.Binary;

namespace MesErpStreams.Streams.Internal;

internal sealed class InMemoryBytesStore(bool timestamped) : IBytesStore
{
    private readonly Dictionary<byte[], byte[]> _map = new(ByteArrayComparer.Instance);

    public long? CheckpointOffset { get; private set; }

    public long Count => _map.Count;

    public bool TryGet(byte[] key, out byte[] value) => _map.TryGetValue(key, out value!);

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => _map;

    public IReadOnlyList<byte[]> KeysOlderThan(long cutoffMs, int max)
    {
        if (!timestamped)
        {
            return [];
        }

        var result = new List<byte[]>();
        foreach (var (key, value) in _map)
        {
            if (BinaryPrimitives.ReadInt64BigEndian(value) < cutoffMs)
            {
                result.Add(key);
                if (result.Count >= max)
                {
                    break;
                }
            }
        }

        return result;
    }

    public void Apply(IEnumerable<KeyValuePair<byte[], byte[]?>> batch, long? checkpointOffset)
    {
        foreach (var (key, value) in batch)
        {
            if (value is null)
            {
                _map.Remove(key);
            }
            else
            {
                _map[key] = value;
            }
        }

        CheckpointOffset = checkpointOffset ?? CheckpointOffset;
    }

    public void Clear()
    {
        _map.Clear();
        CheckpointOffset = null;
    }

    public void Dispose()
    {
        // Kept only in memory; the runtime keeps suspended instances so a re-assignment restores incrementally.
    }
}
