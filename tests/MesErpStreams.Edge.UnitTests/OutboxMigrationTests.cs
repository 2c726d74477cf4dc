using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Internal;
using Microsoft.Data.Sqlite;

namespace MesErpStreams.Edge.UnitTests;

public sealed class OutboxMigrationTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"meserp-outbox-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }
    }

    [Fact]
    public async Task Outbox_from_before_trace_propagation_is_migrated_and_its_rows_forwarded_without_trace()
    {
        await using (var c = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL, topic TEXT NOT NULL, key TEXT NOT NULL,
                    event_id TEXT NOT NULL, body BLOB NOT NULL, accepted_at INTEGER NOT NULL);
                INSERT INTO outbox(kind, topic, key, event_id, body, accepted_at) VALUES (0, 't', 'k', '6f9619ff-8b86-d011-b42d-00cf4fc964ff', x'00', 1);
                """;
            await cmd.ExecuteNonQueryAsync();
        }

        await using var store = await SqliteOutboxStore.OpenAsync(_path, CancellationToken.None);
        var e = EdgeEvent.From(new ProductionConfirmation
        {
            EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes", OccurredAt = DateTimeOffset.UnixEpoch, Sequence = 1, WorkOrder = "4711",
            Operation = "0010", WorkCenter = "WC-1", FinalConfirmation = false, YieldQuantity = new Quantity { Value = 1m, Unit = "PC" },
        });
        await store.AppendAsync([e], DateTimeOffset.UtcNow, 10, 1 << 20, CancellationToken.None);

        var rows = await store.ReadBatchAsync(10, CancellationToken.None);
        rows.Should().HaveCount(2);
        rows[0].Event.TraceParent.Should().BeNull("the old row was accepted without trace context");
        rows[1].Event.TraceParent.Should().Be(TraceParent.ForEvent(e.EventId).Value);
    }
}
