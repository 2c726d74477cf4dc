using System.Text;
using Confluent.Kafka;

namespace MesErpStreams.TestUtils;

/// <summary>Reading what a test's consumers received.</summary>
public static class KafkaRecords
{
    /// <summary>Hands every record the consumer delivers to <paramref name="onRecord"/> until it has nothing for 50 ms.</summary>
    public static void Drain<TV>(IConsumer<string, TV> consumer, Action<ConsumeResult<string, TV>> onRecord)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(onRecord);
        while (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } r)
        {
            if (!r.IsPartitionEOF)
            {
                onRecord(r);
            }
        }
    }

    /// <summary>The last value of header <paramref name="name"/> as UTF-8; throws when the record lacks it.</summary>
    public static string Header<TV>(ConsumeResult<string, TV> r, string name)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Message.Headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : throw new InvalidOperationException($"header {name} missing");
    }
}
