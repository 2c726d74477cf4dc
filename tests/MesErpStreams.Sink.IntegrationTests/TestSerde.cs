using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Sink.IntegrationTests;

/// <summary>Plain Avro binary of the real contracts (no registry): the sink core is serde-agnostic.</summary>
internal sealed class TestSerde : IAsyncDeserializer<ErpPostingCommand>, IAsyncSerializer<PostingResult>
{
    public static readonly AvroCodec<ErpPostingCommand> Commands = AvroCodec.For<ErpPostingCommand>(ErpPostingCommand.Schema);
    public static readonly AvroCodec<PostingResult> Results = AvroCodec.For<PostingResult>(PostingResult.Schema);

    public Task<ErpPostingCommand> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context) =>
        Task.FromResult(Commands.Decode(data.Span));

    public Task<byte[]> SerializeAsync(PostingResult data, SerializationContext context) => Task.FromResult(Results.Encode(data));
}
