using global::Avro.Generic;
using Avro.IO;
using Avro.Specific;

namespace MesErpStreams.Conformance.Tests;

/// <summary>Apache.Avro's binary writers and readers, generic and specific, as byte[] in and out.</summary>
internal static class ApacheCodec
{
    public static byte[] WriteGeneric(global::Avro.Schema schema, object? datum)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<object?>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    public static object? ReadGeneric(global::Avro.Schema schema, byte[] data) =>
        new GenericDatumReader<object?>(schema, schema).Read(null, new BinaryDecoder(new MemoryStream(data)));

    public static object ReadSpecific(global::Avro.Schema schema, byte[] data) =>
        new SpecificDatumReader<object>(schema, schema).Read(null!, new BinaryDecoder(new MemoryStream(data)));

    public static byte[] WriteSpecific(global::Avro.Schema schema, object datum)
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<object>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
