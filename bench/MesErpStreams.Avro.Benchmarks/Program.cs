using System.Buffers;
using System.Globalization;
using MesErpStreams.Avro;
using MesErpStreams.Avro.Benchmarks;
using MesErpStreams.Contracts.Mes;

// `make bench` (scripts/bench.sh) or `dotnet run -c Release --project bench/MesErpStreams.Avro.Benchmarks [seconds]`
// (1.5 s per measurement by default). Part 1: our codec in detail. Part 2: one table, the same record through every
// implementation, encode and decode; avsc through Node when scripts/bench.sh provided it (MESERP_AVSC_NODE_PATH).
var seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? s : 1.5;
var schema = ProductionConfirmation.Schema;
var codec = AvroCodec.For<ProductionConfirmation>(schema);
var samples = Samples.Create();
var encoded = samples.Select(codec.Encode).ToArray();
var generic = encoded.Select(b => GenericDatum.Decode(schema, b)).ToArray();
var buffer = new ArrayBufferWriter<byte>(64 * 1024);
var olderJson = System.Text.Json.Nodes.JsonNode.Parse(schema.ToJson())!.AsObject();
var fields = olderJson["fields"]!.AsArray();
fields.Remove(fields.Single(f => f!["name"]!.GetValue<string>() == "shift"));
var olderWriter = Schema.Parse(olderJson.ToJsonString()); // the same record before the shift field was added
var olderData = generic.Select(g => GenericDatum.Encode(olderWriter, Strip((GenericRecord)g!, olderWriter))).ToArray();

Console.WriteLine($"ProductionConfirmation: {encoded.Average(b => b.Length):F0} bytes per record (Avro binary), .NET {Environment.Version}, {Environment.ProcessorCount} cores, one thread");
Console.WriteLine($"{"operation",-52} {"records/s",14} {"B alloc/rec",12}");
Row("typed encode -> byte[] (AvroCodec<T>.Encode)", i => codec.Encode(samples[i]));
Row("typed encode -> IBufferWriter<byte> (reused buffer)", i =>
{
    if (i == 0)
    {
        buffer.ResetWrittenCount();
    }

    codec.Encode(samples[i], buffer);
});
Row("typed decode (same schema)", i => codec.Decode(encoded[i]));
Row("typed decode resolving an older writer schema", i => codec.Decode(olderData[i], olderWriter));
Row("generic encode (GenericDatum.Encode)", i => GenericDatum.Encode(schema, generic[i]));
Row("generic decode (GenericDatum.Decode)", i => GenericDatum.Decode(schema, encoded[i]));

Console.WriteLine();
await CodecComparison.RunAsync(samples, encoded, seconds);

void Row(string name, Action<int> op)
{
    var (perSecond, bytes) = Rate.Measure(seconds, op);
    Console.WriteLine($"{name,-52} {perSecond,14:N0} {bytes,12:F0}");
}

static GenericRecord Strip(GenericRecord full, Schema older)
{
    var record = new GenericRecord((RecordSchema)older);
    foreach (var f in record.Schema.Fields)
    {
        record[f.Position] = full[f.Name];
    }

    return record;
}
