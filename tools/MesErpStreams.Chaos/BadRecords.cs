using System.Buffers.Binary;
using Confluent.Kafka;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Chaos;

/// <summary>One record written straight to an event topic that no consumer can decode.</summary>
internal sealed record BadRecord(string Kind, string Topic, int Partition, long Offset, int Bytes);

/// <summary>
/// Poison next to the edges' traffic, produced with a plain producer (no serializer, no registry): random bytes, a wrong
/// magic byte, an unknown schema id, a truncated Avro body, and a record larger than the pipeline's 1 MB record limit
/// (librdkafka's <c>message.max.bytes</c> default, which the processor's own producers keep). Each must reach
/// <c>mes.events.dlq</c> with its source coordinates and a reason, and the pipeline must keep going.
/// </summary>
internal static class BadRecords
{
    public const int OversizeBytes = 1_200_000;

    public static async Task<IReadOnlyList<BadRecord>> InjectAsync(ChaosPlatform platform, IReadOnlyList<SimulatedRecord> records, Random random, CancellationToken ct)
    {
        var sample = records.First(r => r.Value is ProductionConfirmation);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = platform.RegistryUrl });
        var serializer = new AvroSerializer<ProductionConfirmation>(registry, ProductionConfirmation.Schema, new AvroSerializerConfig());
        byte[] valid;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                valid = await serializer.SerializeAsync((ProductionConfirmation)sample.Value, new SerializationContext(MessageComponentType.Value, sample.Topic));
                break;
            }
            catch (AvroSerdeException e) when (AvroSerdeException.IsTransientFailure(e) && attempt < 60)
            {
                // The schedule may put this fault inside the registry's outage: the poison waits for the registry, as
                // a producer of good records would.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }

        var noise = new byte[64];
        random.NextBytes(noise);
        var wrongMagic = (byte[])valid.Clone();
        wrongMagic[0] = 7;
        var unknownId = (byte[])valid.Clone();
        BinaryPrimitives.WriteInt32BigEndian(unknownId.AsSpan(1), 900_000 + random.Next(99_999));
        var oversize = new byte[OversizeBytes];
        random.NextBytes(oversize);
        valid.AsSpan(0, 5).CopyTo(oversize);
        (string Kind, byte[] Value)[] poison =
        [
            ("random-bytes", noise),
            ("wrong-magic-byte", wrongMagic),
            ("unknown-schema-id", unknownId),
            ("truncated-avro-body", valid[..(valid.Length / 2)]),
            ("oversize-record", oversize),
        ];
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = platform.Cluster.BootstrapServers, Acks = Acks.All, MessageMaxBytes = 4_000_000,
        }).Build();
        var written = new List<BadRecord>();
        foreach (var (kind, value) in poison)
        {
            var topic = sample.Topic;
            var report = await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = sample.Key, Value = value }, ct);
            written.Add(new BadRecord(kind, report.Topic, report.Partition.Value, report.Offset.Value, value.Length));
        }

        return written;
    }
}
