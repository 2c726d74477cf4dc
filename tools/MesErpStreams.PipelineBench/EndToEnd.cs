using System.Text;
using Confluent.Kafka;
using MesErpStreams.Cli.Run;
using MesErpStreams.Edge;
using MesErpStreams.Harness;
using MesErpStreams.Kafka;
using MesErpStreams.Pipeline;

namespace MesErpStreams.PipelineBench;

/// <summary>
/// End-to-end latency of a multi-process point from what the run left behind: for every ERP document, its ledger
/// postedAt minus the Kafka timestamp (CreateTime: when the publisher produced it) of the first record of the event
/// its idempotency key names. Both clocks are this machine's. Re-sent duplicates count from their first delivery.
/// </summary>
internal static class EndToEnd
{
    private static readonly string[] EventTopics =
    [
        PipelineTopology.Topics.ProductionConfirmations, PipelineTopology.Topics.ScrapReports,
        PipelineTopology.Topics.MaterialConsumptions, PipelineTopology.Topics.QualityHolds,
    ];

    /// <returns>The latencies (seconds) and the number of documents whose event was not found.</returns>
    public static (LatencySample Latency, int Unmatched) FromLedger(string bootstrapServers, IReadOnlyList<LedgerRow> ledger)
    {
        var accepted = new Dictionary<Guid, long>();
        foreach (var topic in EventTopics)
        {
            TopicReading.ReadToEnd(bootstrapServers, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromMinutes(2), r =>
            {
                if (r.Message.Headers.TryGetLastBytes(EdgeHeaders.EventId, out var b) && Guid.TryParse(Encoding.UTF8.GetString(b), out var id))
                {
                    var ts = r.Message.Timestamp.UnixTimestampMs;
                    accepted[id] = accepted.TryGetValue(id, out var first) ? Math.Min(first, ts) : ts;
                }
            });
        }

        var latency = new LatencySample();
        var unmatched = 0;
        foreach (var doc in ledger.GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).Select(g => (Key: g.Key, PostedAt: g.Min(r => r.PostedAt))))
        {
            if (EventIdOf(doc.Key) is { } id && accepted.TryGetValue(id, out var ms))
            {
                latency.Add((doc.PostedAt - DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds);
            }
            else
            {
                unmatched++;
            }
        }

        return (latency, unmatched);
    }

    /// <summary>The source event of a one-event idempotency key (<c>OC-</c>, <c>GM-</c>, <c>SS-</c> and 32 hex digits).</summary>
    internal static Guid? EventIdOf(string idempotencyKey)
    {
        var dash = idempotencyKey.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Guid.TryParseExact(idempotencyKey.AsSpan(dash + 1), "N", out var id) ? id : null;
    }
}
