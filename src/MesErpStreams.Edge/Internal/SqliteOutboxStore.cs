using MesErpStreams.Pipeline.Domain;
using Microsoft.Data.Sqlite;

namespace MesErpStreams.Edge.Internal;

/// <summary>A row of the outbox.</summary>
internal sealed record OutboxRow(long Seq, EdgeEvent Event, DateTimeOffset AcceptedAt);

/// <summary>The transaction being committed when the process stopped: its rows and where its first record landed.</summary>
internal sealed record InFlightMarker(long FirstSeq, long LastSeq, string Topic, int Partition, long Offset);

/// <summary>
/// The SQLite outbox: WAL with <c>synchronous=FULL</c>, so a committed append is on disk (fsync'd) before it returns.
/// One connection, serialised by a semaphore; the accept path and the forwarder share it.
/// </summary>
internal sealed class SqliteOutboxStore : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _count;
    private long _bytes;
    private long _oldestMs = -1;

    private SqliteOutboxStore(SqliteConnection connection, string edgeId)
    {
        _connection = connection;
        EdgeId = edgeId;
    }

    public string EdgeId { get; }

    public long Count => Interlocked.Read(ref _count);

    public long Bytes => Interlocked.Read(ref _bytes);

    public DateTimeOffset? OldestAcceptedAt => Interlocked.Read(ref _oldestMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static async Task<SqliteOutboxStore> OpenAsync(string path, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await c.OpenAsync(ct);
        await ExecAsync(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;", ct);
        await ExecAsync(c, """
            CREATE TABLE IF NOT EXISTS outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL, topic TEXT NOT NULL, key TEXT NOT NULL,
                event_id TEXT NOT NULL, body BLOB NOT NULL, accepted_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS inflight(id INTEGER PRIMARY KEY CHECK (id = 1), first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta(name, value) VALUES ('edge_id', lower(hex(randomblob(8))));
            """, ct);
        await MigrateAsync(c, ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE name = 'edge_id'";
        var edgeId = (string)(await cmd.ExecuteScalarAsync(ct))!;
        var store = new SqliteOutboxStore(c, edgeId);
        await store.RefreshStatsAsync(ct);
        return store;
    }

    /// <summary>Appends all events in one transaction, or none when they would exceed the bounds.</summary>
    public async Task AppendAsync(IReadOnlyList<EdgeEvent> events, DateTimeOffset acceptedAt, long maxEvents, long maxBytes, CancellationToken ct)
    {
        long bytes = 0;
        foreach (var e in events)
        {
            bytes += e.Body.Length;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_count + events.Count > maxEvents || _bytes + bytes > maxBytes)
            {
                throw new OutboxFullException(_count, _bytes, maxEvents, maxBytes);
            }

            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO outbox(kind, topic, key, event_id, body, accepted_at, traceparent) VALUES ($k, $t, $key, $id, $b, $at, $tp)";
            var pk = cmd.Parameters.Add("$k", SqliteType.Integer);
            var pt = cmd.Parameters.Add("$t", SqliteType.Text);
            var pkey = cmd.Parameters.Add("$key", SqliteType.Text);
            var pid = cmd.Parameters.Add("$id", SqliteType.Text);
            var pb = cmd.Parameters.Add("$b", SqliteType.Blob);
            var ptp = cmd.Parameters.Add("$tp", SqliteType.Text);
            cmd.Parameters.AddWithValue("$at", acceptedAt.ToUnixTimeMilliseconds());
            foreach (var e in events)
            {
                pk.Value = (int)e.Kind;
                pt.Value = e.Topic;
                pkey.Value = e.Key;
                pid.Value = e.EventId.ToString("D");
                pb.Value = e.Body.ToArray();
                ptp.Value = (object?)e.TraceParent ?? DBNull.Value;
                await cmd.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            Interlocked.Add(ref _count, events.Count);
            Interlocked.Add(ref _bytes, bytes);
            if (_oldestMs < 0 && events.Count > 0)
            {
                Interlocked.Exchange(ref _oldestMs, acceptedAt.ToUnixTimeMilliseconds());
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<List<OutboxRow>> ReadBatchAsync(int max, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT seq, kind, topic, key, event_id, body, accepted_at, traceparent FROM outbox ORDER BY seq LIMIT $max";
            cmd.Parameters.AddWithValue("$max", max);
            var rows = new List<OutboxRow>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var e = EdgeEvent.Restore((EventKind)r.GetInt32(1), r.GetString(2), r.GetString(3), Guid.Parse(r.GetString(4)), (byte[])r.GetValue(5),
                    r.IsDBNull(7) ? null : r.GetString(7));
                rows.Add(new OutboxRow(r.GetInt64(0), e, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))));
            }

            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task MarkInFlightAsync(InFlightMarker m, CancellationToken ct) => WriteAsync(
        "INSERT OR REPLACE INTO inflight(id, first_seq, last_seq, topic, partition, offset) VALUES (1, $f, $l, $t, $p, $o)",
        [("$f", m.FirstSeq), ("$l", m.LastSeq), ("$t", m.Topic), ("$p", m.Partition), ("$o", m.Offset)], ct);

    public Task ClearInFlightAsync(CancellationToken ct) => WriteAsync("DELETE FROM inflight", [], ct);

    /// <summary>Deletes the delivered rows up to <paramref name="lastSeq"/> and the in-flight marker, atomically.</summary>
    public async Task CompleteAsync(long lastSeq, CancellationToken ct)
    {
        await WriteAsync("DELETE FROM outbox WHERE seq <= $l; DELETE FROM inflight;", [("$l", lastSeq)], ct);
        await RefreshStatsAsync(ct);
    }

    public async Task<InFlightMarker?> GetInFlightAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT first_seq, last_seq, topic, partition, offset FROM inflight WHERE id = 1";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? new InFlightMarker(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4)) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private async Task RefreshStatsAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT count(*), coalesce(sum(length(body)), 0), (SELECT accepted_at FROM outbox ORDER BY seq LIMIT 1) FROM outbox";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            Interlocked.Exchange(ref _count, r.GetInt64(0));
            Interlocked.Exchange(ref _bytes, r.GetInt64(1));
            Interlocked.Exchange(ref _oldestMs, r.IsDBNull(2) ? -1 : r.GetInt64(2));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync(string sql, (string Name, object Value)[] args, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (n, v) in args)
            {
                cmd.Parameters.AddWithValue(n, v);
            }

            await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Outboxes created before trace propagation lack the traceparent column: add it (rows keep null).</summary>
    private static async Task MigrateAsync(SqliteConnection c, CancellationToken ct)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'traceparent'";
        if ((long)(await cmd.ExecuteScalarAsync(ct))! == 0)
        {
            await ExecAsync(c, "ALTER TABLE outbox ADD COLUMN traceparent TEXT", ct);
        }
    }

    private static async Task ExecAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
