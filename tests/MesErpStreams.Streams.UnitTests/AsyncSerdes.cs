using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.Streams.UnitTests;

/// <summary>Asynchronous UTF-8 serde that really yields, like a schema-registry serde on a cache miss.</summary>
internal sealed class AsyncUtf8 : IAsyncSerializer<string>, IAsyncDeserializer<string>
{
    public int Calls { get; private set; }

    public async Task<byte[]> SerializeAsync(string data, SerializationContext context)
    {
        await Task.Yield();
        Calls++;
        return Encoding.UTF8.GetBytes("~" + data);
    }

    public async Task<string> DeserializeAsync(ReadOnlyMemory<byte> data, bool isNull, SerializationContext context)
    {
        await Task.Yield();
        Calls++;
        var s = Encoding.UTF8.GetString(data.Span);
        return s.StartsWith('~') ? s[1..] : throw new FormatException("missing async marker");
    }
}
