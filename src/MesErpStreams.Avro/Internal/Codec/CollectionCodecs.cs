namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Reads array blocks into a list, then shapes the list into the target collection type.</summary>
internal sealed class ArrayReader<TItem, TCollection>(ValueReader<TItem> items, int minItemSize, Func<List<TItem>, TCollection> shape)
    : ValueReader<TCollection>
{
    public override TCollection Read(ref AvroReader r)
    {
        r.Enter();
        List<TItem>? list = null;
        long count;
        while ((count = r.ReadBlockCount(minItemSize)) != 0)
        {
            list ??= new List<TItem>((int)Math.Min(count, 1024));
            for (long i = 0; i < count; i++)
            {
                list.Add(items.Read(ref r));
            }
        }

        r.Exit();
        return shape(list ?? []);
    }
}

/// <summary>Reads map blocks into a dictionary (later keys win, as in other implementations).</summary>
internal sealed class MapReader<TValue, TMap>(ValueReader<TValue> values, int minValueSize, Func<Dictionary<string, TValue>, TMap> shape)
    : ValueReader<TMap>
{
    public override TMap Read(ref AvroReader r)
    {
        r.Enter();
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        long count;
        while ((count = r.ReadBlockCount(minValueSize + 1)) != 0)
        {
            for (long i = 0; i < count; i++)
            {
                var key = r.ReadString();
                map[key] = values.Read(ref r);
            }
        }

        r.Exit();
        return shape(map);
    }
}

/// <summary>Writes any readable list as one block.</summary>
internal sealed class ListWriter<TItem>(ValueWriter<TItem> items) : ValueWriter<IReadOnlyList<TItem>>
{
    public override void Write(ref AvroWriter w, IReadOnlyList<TItem> value)
    {
        if (value is null)
        {
            throw new AvroEncodeException("Null collection for a non-nullable array");
        }

        var count = value.Count;
        if (count > 0)
        {
            w.WriteLong(count);
            if (value is TItem[] array)
            {
                foreach (var item in array)
                {
                    items.Write(ref w, item);
                }
            }
            else if (value is List<TItem> list)
            {
                foreach (var item in list)
                {
                    items.Write(ref w, item);
                }
            }
            else
            {
                for (var i = 0; i < count; i++)
                {
                    items.Write(ref w, value[i]);
                }
            }
        }

        w.WriteLong(0);
    }
}

/// <summary>Writes any enumerable (materialised once when it has no count).</summary>
internal sealed class EnumerableWriter<TItem>(ListWriter<TItem> inner) : ValueWriter<IEnumerable<TItem>>
{
    public override void Write(ref AvroWriter w, IEnumerable<TItem> value)
    {
        if (value is null)
        {
            throw new AvroEncodeException("Null collection for a non-nullable array");
        }

        inner.Write(ref w, value as IReadOnlyList<TItem> ?? value.ToList());
    }
}

/// <summary>Writes a map as one block.</summary>
internal sealed class MapWriter<TValue>(ValueWriter<TValue> values) : ValueWriter<IEnumerable<KeyValuePair<string, TValue>>>
{
    public override void Write(ref AvroWriter w, IEnumerable<KeyValuePair<string, TValue>> value)
    {
        if (value is null)
        {
            throw new AvroEncodeException("Null dictionary for a non-nullable map");
        }

        var count = value switch
        {
            IReadOnlyCollection<KeyValuePair<string, TValue>> c => c.Count,
            ICollection<KeyValuePair<string, TValue>> c => c.Count,
            _ => value.Count(),
        };
        if (count > 0)
        {
            w.WriteLong(count);
            if (value is Dictionary<string, TValue> dictionary)
            {
                foreach (var (k, v) in dictionary)
                {
                    w.WriteString(k);
                    values.Write(ref w, v);
                }
            }
            else
            {
                foreach (var (k, v) in value)
                {
                    w.WriteString(k ?? throw new AvroEncodeException("Null map key"));
                    values.Write(ref w, v);
                }
            }
        }

        w.WriteLong(0);
    }
}
