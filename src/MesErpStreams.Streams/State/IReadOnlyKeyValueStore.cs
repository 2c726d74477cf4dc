using System.Diagnostics.CodeAnalysis;

namespace MesErpStreams.Streams.State;

/// <summary>Read access to a key-value store (task stores and global tables).</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IReadOnlyKeyValueStore<TKey, TValue>
{
    /// <summary>The store name given in the topology.</summary>
    string Name { get; }

    /// <summary>Looks a key up; entries past a store's retention are not returned even before they are purged.</summary>
    bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value);

    /// <summary>Approximate number of entries (exact for in-memory stores; committed entries plus pending writes otherwise).</summary>
    long ApproximateCount { get; }

    /// <summary>
    /// Enumerates all entries (committed state overlaid with this transaction's pending writes), in no particular
    /// order. Meant for punctuation scans; do not write to the store while enumerating.
    /// </summary>
    IEnumerable<KeyValuePair<TKey, TValue>> All();
}
