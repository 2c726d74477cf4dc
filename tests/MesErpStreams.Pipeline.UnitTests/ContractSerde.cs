using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;

namespace MesErpStreams.Pipeline.UnitTests;

/// <summary>Plain Avro binary in the contract's schema, without a registry: for broker-free topology tests.</summary>
internal sealed class ContractSerde<T> : ISerializer<T>, IDeserializer<T>, IAsyncSerializer<T>, IAsyncDeserializer<T>
    where T : IAvroContract<T>
{
    private static readonly AvroCodec<T> Codec = AvroCodec.For<T>(T.Schema);

    public static ContractSerde<T> Codecs { get; } = new();

    public byte[] Serialize(T data, SerializationContext context) => Codec.Encode(data);

    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? default! : Codec.Decode(data);

    public Task<byte[]> SerializeAsync(T data, SerializationContext context) => Task.FromResult(Codec.Encode(data));

    public Task<T> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context) =>
        Task.FromResult(isNull ? default! : Codec.Decode(data.Span));
}
