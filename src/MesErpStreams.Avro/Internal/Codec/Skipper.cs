namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>Skips a value of a writer schema without materialising it (fields the reader does not want).</summary>
internal static class Skipper
{
    public static void Skip(ref AvroReader r, Schema schema)
    {
        switch (schema)
        {
            case RecordSchema rec:
                r.Enter();
                foreach (var f in rec.Fields)
                {
                    Skip(ref r, f.Schema);
                }

                r.Exit();
                return;
            case FixedSchema f:
                r.Skip(f.Size);
                return;
            case EnumSchema:
                r.ReadInt();
                return;
            case UnionSchema u:
                var start = r.Position;
                var index = r.ReadLong();
                if ((ulong)index >= (ulong)u.Branches.Count)
                {
                    throw new AvroDecodeException($"Union branch index {index} at byte {start} is out of range (union has {u.Branches.Count} branches)");
                }

                Skip(ref r, u.Branches[(int)index]);
                return;
            case ArraySchema a:
                SkipBlocks(ref r, a.Items, null);
                return;
            case MapSchema m:
                SkipBlocks(ref r, m.Values, m);
                return;
        }

        switch (schema.Type)
        {
            case SchemaType.Boolean:
                r.ReadBoolean();
                return;
            case SchemaType.Int:
                r.ReadInt();
                return;
            case SchemaType.Long:
                r.ReadLong();
                return;
            case SchemaType.Float:
                r.Skip(4);
                return;
            case SchemaType.Double:
                r.Skip(8);
                return;
            case SchemaType.Bytes:
            case SchemaType.String:
                r.ReadBytesSpan();
                return;
        }
    }

    private static void SkipBlocks(ref AvroReader r, Schema item, MapSchema? map)
    {
        r.Enter();
        var min = item.MinEncodedSize + (map is null ? 0 : 1);
        long count;
        while ((count = r.ReadBlockCountForSkip(min, out var byteSize)) != 0)
        {
            if (byteSize >= 0)
            {
                r.Skip((int)byteSize);
                continue;
            }

            for (long i = 0; i < count; i++)
            {
                if (map is not null)
                {
                    r.ReadBytesSpan();
                }

                Skip(ref r, item);
            }
        }

        r.Exit();
    }
}
