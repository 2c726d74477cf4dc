using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using MesErpStreams.Avro;
using MesErpStreams.Avro.Benchmarks;

// Plain Stopwatch harness: each measurement runs for a fixed wall time after a warm-up and reports records/second
// and bytes allocated per record. `dotnet run -c Release --project bench/MesErpStreams.Avro.Benchmarks` (about 15 s after the build; pass a number of seconds per measurement to change it).
var seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? s : 1.5;
var schema = Schema.Parse(ConfirmationSchema.Json);
var codec = AvroCodec.For<ProductionConfirmation>(schema);
var samples = Enumerable.Range(0, 1024).Select(ConfirmationSchema.Sample).ToArray();
var encoded = samples.Select(codec.Encode).ToArray();
var generic = encoded.Select(b => GenericDatum.Decode(schema, b)).ToArray();
var buffer = new ArrayBufferWriter<byte>(64 * 1024);
var olderWriter = Schema.Parse(ConfirmationSchema.Json.Replace(
    """{"name":"shift","type":["null","string"],"default":null},""", string.Empty, StringComparison.Ordinal));
var olderData = generic.Select(g => GenericDatum.Encode(olderWriter, Strip((GenericRecord)g!, olderWriter))).ToArray();

Console.WriteLine($"ProductionConfirmation: {encoded.Average(b => b.Length):F0} bytes per record (Avro binary), .NET {Environment.Version}, {Environment.ProcessorCount} cores");
Console.WriteLine($"{"operation",-52} {"records/s",14} {"B alloc/rec",12}");
Measure("typed encode -> byte[] (AvroCodec<T>.Encode)", i => codec.Encode(samples[i & 1023]));
Measure("typed encode -> IBufferWriter<byte> (reused buffer)", i =>
{
    if ((i & 1023) == 0)
    {
        buffer.ResetWrittenCount();
    }

    codec.Encode(samples[i & 1023], buffer);
});
Measure("typed decode (same schema)", i => codec.Decode(encoded[i & 1023]));
Measure("typed decode resolving an older writer schema", i => codec.Decode(olderData[i & 1023], olderWriter));
Measure("generic encode (GenericDatum.Encode)", i => GenericDatum.Encode(schema, generic[i & 1023]));
Measure("generic decode (GenericDatum.Decode)", i => GenericDatum.Decode(schema, encoded[i & 1023]));

void Measure(string name, Action<int> op)
{
    var warmup = Stopwatch.StartNew();
    var n = 0;
    while (warmup.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 3))
    {
        op(n++);
    }

    GC.Collect();
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    long count = 0;
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 1024; i++)
        {
            op(i);
        }

        count += 1024;
    }

    watch.Stop();
    var perRecord = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)count;
    Console.WriteLine($"{name,-52} {count / watch.Elapsed.TotalSeconds,14:N0} {perRecord,12:F0}");
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
