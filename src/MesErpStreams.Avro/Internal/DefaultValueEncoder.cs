using System.Buffers;
using System.Text.Json;

namespace MesErpStreams.Avro.Internal;

/// <summary>
/// Validates field defaults (Avro JSON encoding) and converts them into Avro binary, so a reader fills a missing field
/// by decoding the default's bytes with the same code path as data.
/// </summary>
internal static class DefaultValueEncoder
{
    public static string? Validate(Schema schema, JsonElement value)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            var w = new AvroWriter(buffer);
            Write(schema, value, ref w, "default");
            w.Flush();
            return null;
        }
        catch (AvroException ex)
        {
            return ex.Message;
        }
    }

    public static byte[] Encode(Schema schema, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        var w = new AvroWriter(buffer);
        Write(schema, doc.RootElement, ref w, "default");
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static AvroSchemaParseException Mismatch(Schema schema, JsonElement value, string path) =>
        new AvroSchemaParseException($"{path}: {value.GetRawText()} is not a valid {SchemaInfo.Describe(schema)}");

    private static void Write(Schema schema, JsonElement v, ref AvroWriter w, string path)
    {
        switch (schema.Type)
        {
            case SchemaType.Null:
                if (v.ValueKind != JsonValueKind.Null)
                {
                    throw Mismatch(schema, v, path);
                }

                return;
            case SchemaType.Boolean:
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteBoolean(v.GetBoolean());
                return;
            case SchemaType.Int:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteInt(i);
                return;
            case SchemaType.Long:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var l))
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteLong(l);
                return;
            case SchemaType.Float:
                w.WriteFloat((float)ReadDouble(schema, v, path));
                return;
            case SchemaType.Double:
                w.WriteDouble(ReadDouble(schema, v, path));
                return;
            case SchemaType.String:
                if (v.ValueKind != JsonValueKind.String)
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteString(v.GetString()!);
                return;
            case SchemaType.Bytes:
                w.WriteBytes(Latin1Bytes(schema, v, path));
                return;
            case SchemaType.Fixed:
                var bytes = Latin1Bytes(schema, v, path);
                if (bytes.Length != ((FixedSchema)schema).Size)
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteFixed(bytes);
                return;
            case SchemaType.Enum:
                var index = v.ValueKind == JsonValueKind.String ? ((EnumSchema)schema).IndexOf(v.GetString()!) : -1;
                if (index < 0)
                {
                    throw Mismatch(schema, v, path);
                }

                w.WriteInt(index);
                return;
            case SchemaType.Array:
                if (v.ValueKind != JsonValueKind.Array)
                {
                    throw Mismatch(schema, v, path);
                }

                var items = ((ArraySchema)schema).Items;
                var n = v.GetArrayLength();
                if (n > 0)
                {
                    w.WriteLong(n);
                    var k = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        Write(items, item, ref w, $"{path}[{k++}]");
                    }
                }

                w.WriteLong(0);
                return;
            case SchemaType.Map:
                if (v.ValueKind != JsonValueKind.Object)
                {
                    throw Mismatch(schema, v, path);
                }

                var values = ((MapSchema)schema).Values;
                var count = v.EnumerateObject().Count();
                if (count > 0)
                {
                    w.WriteLong(count);
                    foreach (var p in v.EnumerateObject())
                    {
                        w.WriteString(p.Name);
                        Write(values, p.Value, ref w, $"{path}.{p.Name}");
                    }
                }

                w.WriteLong(0);
                return;
            case SchemaType.Union:
                // The specification: a union's default corresponds to its first branch.
                w.WriteInt(0);
                Write(((UnionSchema)schema).Branches[0], v, ref w, path);
                return;
            case SchemaType.Record:
                if (v.ValueKind != JsonValueKind.Object)
                {
                    throw Mismatch(schema, v, path);
                }

                foreach (var f in ((RecordSchema)schema).Fields)
                {
                    if (v.TryGetProperty(f.Name, out var fv))
                    {
                        Write(f.Schema, fv, ref w, $"{path}.{f.Name}");
                    }
                    else if (f.DefaultJson is not null)
                    {
                        using var d = JsonDocument.Parse(f.DefaultJson);
                        Write(f.Schema, d.RootElement, ref w, $"{path}.{f.Name}");
                    }
                    else
                    {
                        throw new AvroSchemaParseException($"{path}: record value lacks field '{f.Name}', which has no default");
                    }
                }

                return;
        }
    }

    private static double ReadDouble(Schema schema, JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.GetDouble();
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            switch (v.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
        }

        throw Mismatch(schema, v, path);
    }

    private static byte[] Latin1Bytes(Schema schema, JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(schema, v, path);
        }

        var s = v.GetString()!;
        var bytes = new byte[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 0xFF)
            {
                throw Mismatch(schema, v, path);
            }

            bytes[i] = (byte)s[i];
        }

        return bytes;
    }
}
