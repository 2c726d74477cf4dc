using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MesErpStreams.Streams.Internal;

/// <summary>
/// One store partition in a SQLite database (WAL, synchronous=NORMAL). The changelog checkpoint lives in the same
/// database and is written in the same SQLite transaction as the data it covers, so the two can never disagree;
/// after a crash the changelog is replayed from the checkpoint (replay is idempotent).
/// </summary>
internal sealed class SqliteBytesStore : IBytesStore
{
    private readonly SqliteConnection _connection;
    // Hot statements go through SQLitePCL's raw API on the connection's handle: ADO.NET's per-execution overhead
    // (reader objects, parameter type inference) was larger than the B-tree work itself.
    private readonly sqlite3_stmt _get;
    private readonly sqlite3_stmt _put;
    private readonly sqlite3_stmt _delete;
    private readonly sqlite3_stmt _checkpoint;
    private readonly sqlite3 _db;

    // Reads come from the stream thread, committed batches are applied by the store's background applier: one lock
    // per statement keeps them apart without blocking reads for a whole batch.
    private readonly Lock _lock = new();
    private readonly bool _timestamped;
    private long _count;
    private long _countedAt;

    public SqliteBytesStore(string path, bool timestamped)
    {
        _timestamped = timestamped;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        _db = _connection.Handle!;
        // One connection per store partition, used by one thread: exclusive locking skips per-statement file locks.
        Exec("PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
        Exec("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL, ts INTEGER NOT NULL) WITHOUT ROWID;"
             + "CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 0), next_offset INTEGER NOT NULL);");
        if (timestamped)
        {
            Exec("CREATE INDEX IF NOT EXISTS kv_ts ON kv(ts);");
        }

        _get = Prepare("SELECT v FROM kv WHERE k = ?1");
        _put = Prepare("INSERT INTO kv (k, v, ts) VALUES (?1, ?2, ?3) ON CONFLICT(k) DO UPDATE SET v = excluded.v, ts = excluded.ts");
        _delete = Prepare("DELETE FROM kv WHERE k = ?1");
        _checkpoint = Prepare("INSERT INTO checkpoint (id, next_offset) VALUES (0, ?1) ON CONFLICT(id) DO UPDATE SET next_offset = excluded.next_offset");
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT next_offset FROM checkpoint WHERE id = 0";
            CheckpointOffset = cmd.ExecuteScalar() is long offset ? offset : null;
        }

        RefreshCountLocked();
    }

    public long? CheckpointOffset { get; private set; }

    public long Count => _count;

    public void RefreshCount()
    {
        lock (_lock)
        {
            RefreshCountLocked();
        }
    }

    private void RefreshCountLocked()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM kv";
        _count = (long)cmd.ExecuteScalar()!;
        _countedAt = Environment.TickCount64;
    }

    public bool TryGet(byte[] key, out byte[] value)
    {
        lock (_lock)
        {
            return TryGetLocked(key, out value);
        }
    }

    private bool TryGetLocked(byte[] key, out byte[] value)
    {
        try
        {
            raw.sqlite3_bind_blob(_get, 1, key);
            var rc = raw.sqlite3_step(_get);
            if (rc == raw.SQLITE_ROW)
            {
                value = raw.sqlite3_column_blob(_get, 0).ToArray();
                return true;
            }

            Check(rc, raw.SQLITE_DONE);
            value = null!;
            return false;
        }
        finally
        {
            raw.sqlite3_reset(_get);
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All()
    {
        lock (_lock)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT k, v FROM kv";
            using var reader = cmd.ExecuteReader();
            var entries = new List<KeyValuePair<byte[], byte[]>>();
            while (reader.Read())
            {
                entries.Add(new((byte[])reader[0], (byte[])reader[1]));
            }

            return entries;
        }
    }

    public IReadOnlyList<byte[]> KeysOlderThan(long cutoffMs, int max)
    {
        lock (_lock)
        {
            return KeysOlderThanLocked(cutoffMs, max);
        }
    }

    private List<byte[]> KeysOlderThanLocked(long cutoffMs, int max)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT k FROM kv WHERE ts < $c LIMIT $m";
        cmd.Parameters.AddWithValue("$c", cutoffMs);
        cmd.Parameters.AddWithValue("$m", max);
        using var reader = cmd.ExecuteReader();
        var keys = new List<byte[]>();
        while (reader.Read())
        {
            keys.Add((byte[])reader[0]);
        }

        return keys;
    }

    public void Apply(IEnumerable<KeyValuePair<byte[], byte[]?>> batch, long? checkpointOffset)
    {
        lock (_lock)
        {
            Check(raw.sqlite3_exec(_db, "BEGIN"), raw.SQLITE_OK);
        }

        try
        {
            foreach (var (key, value) in batch)
            {
                lock (_lock)
                {
                    if (value is null)
                    {
                        raw.sqlite3_bind_blob(_delete, 1, key);
                        Step(_delete);
                        _count -= raw.sqlite3_changes(_db);
                    }
                    else
                    {
                        raw.sqlite3_bind_blob(_put, 1, key);
                        raw.sqlite3_bind_blob(_put, 2, value);
                        raw.sqlite3_bind_int64(_put, 3, _timestamped && value.Length >= 8 ? BinaryPrimitives.ReadInt64BigEndian(value) : 0L);
                        Step(_put);
                    }
                }
            }

            lock (_lock)
            {
                if (checkpointOffset is { } offset)
                {
                    raw.sqlite3_bind_int64(_checkpoint, 1, offset);
                    Step(_checkpoint);
                }

                Check(raw.sqlite3_exec(_db, "COMMIT"), raw.SQLITE_OK);
                if (Environment.TickCount64 - _countedAt > 10_000)
                {
                    RefreshCountLocked();
                }

                CheckpointOffset = checkpointOffset ?? CheckpointOffset;
            }
        }
        catch
        {
            lock (_lock)
            {
                raw.sqlite3_exec(_db, "ROLLBACK");
            }

            throw;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            Exec("DELETE FROM kv; DELETE FROM checkpoint;");
            CheckpointOffset = null;
            _count = 0;
        }
    }

    public void Dispose()
    {
        _get.Dispose();
        _put.Dispose();
        _delete.Dispose();
        _checkpoint.Dispose();
        _connection.Dispose();
    }

    private void Exec(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var stmt), raw.SQLITE_OK);
        return stmt;
    }

    private void Step(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        Check(rc, raw.SQLITE_DONE);
    }

    private void Check(int rc, int expected)
    {
        if (rc != expected)
        {
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }
    }
}
