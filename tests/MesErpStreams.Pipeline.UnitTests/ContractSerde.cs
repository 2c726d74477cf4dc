using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;
using MesErpStreams.Streams;

namespace MesErpStreams.Pipeline.UnitTests;

/// <summary>Plain Avro binary in the contract's schema, without a registry: for broker-free topology tests.</summary>
internal sealed class ContractSerde<T> : ISerializer<T>, IDeserializer<T>
    where T : IAvroContract<T>
{
    private static readonly AvroCodec<T> Codec = AvroCodec.For<T>(T.Schema);

    public static Serde<T> Instance { get; } = Serdes.From<T>(new ContractSerde<T>(), new ContractSerde<T>());

    public byte[] Serialize(T data, SerializationContext context) => Codec.Encode(data);

    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? default! : Codec.Decode(data);
}
