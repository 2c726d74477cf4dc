using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using MesErpStreams.Contracts;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.SchemaRegistry.Server;
using CSR = Confluent.SchemaRegistry;
using CSerdes = Confluent.SchemaRegistry.Serdes;
using OurSerdes = MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Avro.Benchmarks;

/// <summary>
/// One record (ProductionConfirmation), every implementation, one table: encode and decode records/s of our typed
/// codec, Apache.Avro specific (classes from Avro.CodeGen, compiled at run time) and generic, Confluent's serdes and ours
/// (Confluent wire format, registry client caches warm, an embedded registry behind them), and avsc through Node.
/// Every implementation works on the same 1024 records; their encodings are checked to be identical first.
/// </summary>
internal static class CodecComparison
{
    private const string Topic = "mes.events.production-confirmations";

    public static async Task RunAsync(ProductionConfirmation[] samples, byte[][] encoded, double seconds)
    {
        var rows = new List<(string Name, double Encode, double Decode)>();
        var codec = AvroCodec.For<ProductionConfirmation>(ProductionConfirmation.Schema);
        var json = ContractSchemas.GetJson("mes/ProductionConfirmation.avsc");
        var apacheSchema = global::Avro.Schema.Parse(json);
        var specificType = MesErpStreams.Conformance.Tests.ApacheSpecificTypes.For("com.meserp.mes.ProductionConfirmation");

        rows.Add(("MesErpStreams.Avro typed codec (AvroCodec<T>)",
            Rate.Measure(seconds, i => codec.Encode(samples[i])).PerSecond,
            Rate.Measure(seconds, i => codec.Decode(encoded[i])).PerSecond));
        rows.Add(Apache("Apache.Avro 1.12.2 specific (CodeGen class)", encoded, seconds,
            new SpecificDatumReader<object>(apacheSchema, apacheSchema), new SpecificDatumWriter<object>(apacheSchema)));
        rows.Add(Apache("Apache.Avro 1.12.2 generic (GenericRecord)", encoded, seconds,
            new GenericDatumReader<object>(apacheSchema, apacheSchema), new GenericDatumWriter<object>(apacheSchema)));

        using (var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 }))
        {
            cluster.CreateTopic("_schemas", 1);
            await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false });
            using var ours = new MesErpStreams.SchemaRegistry.CachedSchemaRegistryClient(new MesErpStreams.SchemaRegistry.SchemaRegistryClientOptions { Url = registry.Url });
            await ContractSchemaRegistration.RegisterAllAsync(ours);
            using var confluent = new CSR.CachedSchemaRegistryClient(new CSR.SchemaRegistryConfig { Url = registry.Url });
            var context = new SerializationContext(MessageComponentType.Value, Topic, []);

            var serializer = new OurSerdes.AvroSerializer<ProductionConfirmation>(ours, ProductionConfirmation.Schema);
            var deserializer = new OurSerdes.AvroDeserializer<ProductionConfirmation>(ours, ProductionConfirmation.Schema);
            var wire = Sync(samples.Select(r => serializer.SerializeAsync(r, context)).ToArray());
            Check("our serdes", wire, encoded);

            var confluentRow = (ValueTuple<string, double, double>)typeof(CodecComparison).GetMethod(nameof(Confluent), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(specificType).Invoke(null, [confluent, apacheSchema, encoded, wire, context, seconds])!;
            rows.Add(confluentRow);
            rows.Add(("MesErpStreams.SchemaRegistry serdes (wire format)",
                Rate.Measure(seconds, i => serializer.SerializeAsync(samples[i], context).GetAwaiter().GetResult()).PerSecond,
                Rate.Measure(seconds, i => deserializer.DeserializeAsync(wire[i], isNull: false, context).GetAwaiter().GetResult()).PerSecond));
        }

        var avsc = Avsc(json, encoded, seconds);
        if (avsc is { } a)
        {
            rows.Add(($"avsc {a.Version} (Node {a.Node}, no logical-type hooks)", a.Encode, a.Decode));
        }

        Console.WriteLine($"Same record, every implementation ({encoded.Average(b => b.Length):F0} B, one thread, {seconds:0.#} s per measurement; encodings checked identical first):");
        Console.WriteLine($"{"implementation",-58} {"encode rec/s",14} {"decode rec/s",14}");
        foreach (var (name, enc, dec) in rows)
        {
            Console.WriteLine($"{name,-58} {enc,14:N0} {dec,14:N0}");
        }

        if (avsc is { } b)
        {
            Console.WriteLine($"our typed codec vs avsc: encode {rows[0].Encode / b.Encode:F2}x, decode {rows[0].Decode / b.Decode:F2}x (goal: at least 2x both); avsc wrote identical bytes: {b.Identical}");
        }
        else
        {
            Console.WriteLine("avsc: not measured (run `make bench`: scripts/bench.sh installs avsc and sets MESERP_AVSC_NODE_PATH)");
        }
    }

    private static (string, double, double) Apache(string name, byte[][] encoded, double seconds,
        DatumReader<object> reader, DatumWriter<object> writer)
    {
        var values = encoded.Select(e => reader.Read(null!, new BinaryDecoder(new MemoryStream(e)))).ToArray();
        var stream = new MemoryStream(256);
        var encoder = new BinaryEncoder(stream);
        Check(name, values.Select(v =>
        {
            stream.SetLength(0);
            writer.Write(v, encoder);
            return stream.ToArray();
        }).ToArray(), encoded);
        var encode = Rate.Measure(seconds, i =>
        {
            // A reused stream, as a caller would; ToArray is the byte[] every other row hands out too.
            stream.SetLength(0);
            writer.Write(values[i], encoder);
            _ = stream.ToArray();
        }).PerSecond;
        var decode = Rate.Measure(seconds, i => reader.Read(null!, new BinaryDecoder(new MemoryStream(encoded[i], writable: false)))).PerSecond;
        return (name, encode, decode);
    }

    private static (string, double, double) Confluent<TSpecific>(CSR.ISchemaRegistryClient client, global::Avro.Schema schema, byte[][] encoded,
        byte[][] wire, SerializationContext context, double seconds)
        where TSpecific : ISpecificRecord
    {
        var reader = new SpecificDatumReader<TSpecific>(schema, schema);
        var values = encoded.Select(e => reader.Read(default!, new BinaryDecoder(new MemoryStream(e)))).ToArray();
        var serializer = new CSerdes.AvroSerializer<TSpecific>(client);
        var deserializer = new CSerdes.AvroDeserializer<TSpecific>(client);
        var written = Sync(values.Select(v => serializer.SerializeAsync(v, context)).ToArray());
        Check("Confluent serializer", written, encoded);
        var writer = new SpecificDatumWriter<TSpecific>(schema);
        Check("Confluent deserializer", wire.Select(w =>
        {
            using var stream = new MemoryStream();
            writer.Write(deserializer.DeserializeAsync(w, isNull: false, context).GetAwaiter().GetResult(), new BinaryEncoder(stream));
            return stream.ToArray();
        }).ToArray(), encoded);
        return ("Confluent.SchemaRegistry.Serdes.Avro 2.15.1 (specific)",
            Rate.Measure(seconds, i => serializer.SerializeAsync(values[i], context).GetAwaiter().GetResult()).PerSecond,
            Rate.Measure(seconds, i => deserializer.DeserializeAsync(wire[i], isNull: false, context).GetAwaiter().GetResult()).PerSecond);
    }

    private static (string Version, string Node, double Encode, double Decode, bool Identical)? Avsc(string schemaJson, byte[][] encoded, double seconds)
    {
        var nodePath = Environment.GetEnvironmentVariable("MESERP_AVSC_NODE_PATH");
        if (string.IsNullOrEmpty(nodePath))
        {
            return null;
        }

        var dir = Path.Combine(Path.GetTempPath(), "meserp-avsc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "schema.avsc"), schemaJson);
            using (var records = File.Create(Path.Combine(dir, "records.bin")))
            {
                Span<byte> length = stackalloc byte[4];
                foreach (var e in encoded)
                {
                    BinaryPrimitives.WriteInt32BigEndian(length, e.Length);
                    records.Write(length);
                    records.Write(e);
                }
            }

            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "avsc", "bench.js"), Path.Combine(dir, "schema.avsc"), Path.Combine(dir, "records.bin"), seconds.ToString(CultureInfo.InvariantCulture) })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["NODE_PATH"] = nodePath;
            using var node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            var stdout = node.StandardOutput.ReadToEnd();
            var stderr = node.StandardError.ReadToEnd();
            node.WaitForExit();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"node bench.js failed ({node.ExitCode}): {stderr}");
            }

            var result = JsonNode.Parse(stdout)!;
            var version = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            var nodeVersion = version.StandardOutput.ReadToEnd().Trim();
            version.WaitForExit();
            return (result["version"]!.GetValue<string>(), nodeVersion, result["encode"]!.GetValue<double>(), result["decode"]!.GetValue<double>(), result["identical"]!.GetValue<bool>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[][] Sync(Task<byte[]>[] tasks) => tasks.Select(t => t.GetAwaiter().GetResult()).ToArray();

    /// <summary>Stops the benchmark when an implementation writes other bytes than our codec (a rate of wrong output means nothing).</summary>
    private static void Check(string who, byte[][] written, byte[][] encoded)
    {
        for (var i = 0; i < encoded.Length; i++)
        {
            var avro = written[i].Length == encoded[i].Length + 5 && written[i][0] == 0 ? written[i][5..] : written[i];
            if (!avro.AsSpan().SequenceEqual(encoded[i]))
            {
                throw new InvalidOperationException($"{who} wrote other bytes than our codec for record {i}");
            }
        }
    }
}
