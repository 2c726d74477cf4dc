using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Kafka;
using MesErpStreams.Pipeline;

namespace MesErpStreams.Cli.Run;

/// <summary>What the ERP ledger and the dead-letter topic hold, compared with what the simulated events imply.</summary>
internal sealed record Reconciliation(int ExpectedPostings, int LedgerDocuments, int Missing, int Extra, int DoubledKeys,
    int ExpectedDeadLetters, int DeadLettersMissing, IReadOnlyList<string> MissingSample, IReadOnlyList<string> ExtraSample)
{
    public bool Ok => Missing == 0 && Extra == 0 && DoubledKeys == 0 && DeadLettersMissing == 0;

    public static async Task<int> LedgerCountAsync(HttpClient erp, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await erp.GetStringAsync(new Uri("health", UriKind.Relative), ct));
        return doc.RootElement.GetProperty("documents").GetInt32();
    }

    public static async Task<Reconciliation> RunAsync(ExpectedPostings expected, HttpClient erp, string bootstrapServers, CancellationToken ct)
    {
        var entries = await erp.GetFromJsonAsync<JsonElement>(new Uri("api/erp/v1/ledger/entries", UriKind.Relative), ct);
        var keys = entries.EnumerateArray().Select(e => e.GetProperty("idempotencyKey").GetString()!).ToList();
        var distinct = keys.ToHashSet(StringComparer.Ordinal);
        var missing = expected.IdempotencyKeys.Where(k => !distinct.Contains(k)).ToList();
        var extra = distinct.Where(k => !expected.IdempotencyKeys.Contains(k)).ToList();
        var deadLettered = ReadDeadLetteredEventIds(bootstrapServers);
        var dlMissing = expected.DeadLetteredEventIds.Count(id => !deadLettered.Contains(id));
        return new Reconciliation(expected.IdempotencyKeys.Count, keys.Count, missing.Count, extra.Count, keys.Count - distinct.Count,
            expected.DeadLetteredEventIds.Count, dlMissing, missing.Take(10).ToArray(), extra.Take(10).ToArray());
    }

    /// <summary>Event ids in <c>mes.events.dlq</c>, read to the end (committed records only).</summary>
    private static HashSet<Guid> ReadDeadLetteredEventIds(string bootstrapServers)
    {
        var ids = new HashSet<Guid>();
        TopicReading.ReadToEnd(bootstrapServers, PipelineTopology.Topics.EventsDeadLetter, null, IsolationLevel.ReadCommitted, TimeSpan.FromSeconds(30), r =>
        {
            if (r.Message.Headers.TryGetLastBytes(PipelineHeaders.EventId, out var b) && Guid.TryParse(Encoding.UTF8.GetString(b), out var id))
            {
                ids.Add(id);
            }
        });
        return ids;
    }
}
