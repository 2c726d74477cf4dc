using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.Benchmarks;

/// <summary>Shop-floor event as in the pipeline (shape of a production confirmation).</summary>
internal sealed record BenchEvent(string EventId, string Plant, string WorkOrder, string Operation, decimal Quantity, string Unit, DateTimeOffset OccurredAt, long Sequence);

/// <summary>ERP command derived from an event.</summary>
internal sealed record BenchCommand(string IdempotencyKey, string OrderNumber, decimal Yield, string Unit, DateTimeOffset PostingTime);

/// <summary>Avro schemas and serdes of the benchmark types.</summary>
internal static class BenchSchemas
{
    public static readonly Schema Event = Schema.Parse("""
        {"type":"record","name":"BenchEvent","namespace":"bench","fields":[
          {"name":"eventId","type":"string"},
          {"name":"plant","type":"string"},
          {"name":"workOrder","type":"string"},
          {"name":"operation","type":"string"},
          {"name":"quantity","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":3}},
          {"name":"unit","type":"string"},
          {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"sequence","type":"long"}]}
        """);

    public static readonly Schema Command = Schema.Parse("""
        {"type":"record","name":"BenchCommand","namespace":"bench","fields":[
          {"name":"idempotencyKey","type":"string"},
          {"name":"orderNumber","type":"string"},
          {"name":"yield","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":3}},
          {"name":"unit","type":"string"},
          {"name":"postingTime","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """);

    public static Serde<T> Serde<T>(Schema schema)
    {
        var codec = AvroCodec.For<T>(schema);
        var serde = new AvroSerde<T>(codec);
        return Serdes.From<T>(serde, serde);
    }

    private sealed class AvroSerde<T>(AvroCodec<T> codec) : ISerializer<T>, IDeserializer<T>
    {
        public byte[] Serialize(T data, SerializationContext context) => codec.Encode(data);

        public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => codec.Decode(data);
    }
}

/// <summary>Drops events whose id was seen within the store's retention, maps the rest to commands.</summary>
internal sealed class DedupeAndMap(string store) : IProcessor<string, BenchEvent, string, BenchCommand>
{
    private IProcessorContext<string, BenchCommand> _context = null!;
    private IKeyValueStore<string, bool> _seen = null!;

    public void Init(IProcessorContext<string, BenchCommand> context)
    {
        _context = context;
        _seen = context.GetStateStore<IKeyValueStore<string, bool>>(store);
    }

    public void Process(Record<string, BenchEvent> record)
    {
        var e = record.Value;
        if (_seen.PutIfAbsent(e.EventId, true))
        {
            _context.Forward(new Record<string, BenchCommand>(
                record.Key, new BenchCommand("pc-" + e.EventId, e.WorkOrder, e.Quantity, e.Unit, e.OccurredAt), record.Timestamp, record.Headers));
        }
    }

    public void Close()
    {
    }
}

