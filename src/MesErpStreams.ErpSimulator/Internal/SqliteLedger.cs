using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>
/// SQLite ledger (WAL, synchronous=NORMAL). Writers are serialised in-process and by <c>BEGIN IMMEDIATE</c>
/// across processes; the UNIQUE constraint on <c>idempotency_key</c> is the final guard.
/// </summary>
internal sealed partial class SqliteLedger(string path) : ILedger
{
    private const string Columns =
        "document_number, idempotency_key, document_type, plant, order_number, material, batch, movement_type, " +
        "quantity, scrap_quantity, unit, sequence_key, sequence, posted_at, payload, request_hash";

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task InitializeAsync(CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        await using var c = await OpenAsync(ct);
        await ExecAsync(c, "PRAGMA journal_mode=WAL;", ct);
        await ExecAsync(c, """
            CREATE TABLE IF NOT EXISTS documents (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              document_number TEXT NOT NULL UNIQUE,
              idempotency_key TEXT NOT NULL UNIQUE,
              document_type TEXT NOT NULL,
              plant TEXT NOT NULL,
              order_number TEXT NULL,
              material TEXT NULL,
              batch TEXT NULL,
              movement_type TEXT NULL,
              quantity TEXT NOT NULL,
              scrap_quantity TEXT NOT NULL,
              unit TEXT NULL,
              sequence_key TEXT NOT NULL,
              sequence INTEGER NOT NULL,
              posted_at TEXT NOT NULL,
              payload TEXT NOT NULL,
              request_hash TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_documents_sequence ON documents(plant, sequence_key, sequence);
            """, ct);
    }

    public async Task<LedgerWrite> PostAsync(NewDocument d, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct); // BEGIN IMMEDIATE (not deferred)
            var existing = await FindAsync(c, tx, d.IdempotencyKey, ct);
            if (existing is not null)
            {
                return Existing(existing.Value, d);
            }

            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO documents (document_number, idempotency_key, document_type, plant, order_number, material, batch,
                  movement_type, quantity, scrap_quantity, unit, sequence_key, sequence, posted_at, payload, request_hash)
                VALUES ('pending-' || $key, $key, $type, $plant, $order, $material, $batch, $mvt, $qty, $scrap, $unit, $seqKey,
                  (SELECT COALESCE(MAX(sequence), 0) + 1 FROM documents WHERE plant = $plant AND sequence_key = $seqKey),
                  $postedAt, $payload, $hash)
                RETURNING id;
                """;
            cmd.Parameters.AddWithValue("$key", d.IdempotencyKey);
            cmd.Parameters.AddWithValue("$type", d.DocumentType);
            cmd.Parameters.AddWithValue("$plant", d.Plant);
            cmd.Parameters.AddWithValue("$order", (object?)d.OrderNumber ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$material", (object?)d.Material ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$batch", (object?)d.Batch ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$mvt", (object?)d.MovementType ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$qty", d.Quantity.ToString(CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$scrap", d.ScrapQuantity.ToString(CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$unit", (object?)d.Unit ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$seqKey", d.SequenceKey);
            cmd.Parameters.AddWithValue("$postedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$payload", d.Payload);
            cmd.Parameters.AddWithValue("$hash", d.RequestHash);
            long id;
            try
            {
                id = (long)(await cmd.ExecuteScalarAsync(ct))!;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: another process won the race
            {
                await tx.RollbackAsync(ct);
                var winner = await FindAsync(c, null, d.IdempotencyKey, ct)
                             ?? throw new InvalidOperationException("unique constraint hit but no document found", e);
                return Existing(winner, d);
            }

            await using var upd = c.CreateCommand();
            upd.Transaction = tx;
            upd.CommandText = "UPDATE documents SET document_number = $no WHERE id = $id;";
            upd.Parameters.AddWithValue("$no", DocumentNumber(d.DocumentType, id));
            upd.Parameters.AddWithValue("$id", id);
            await upd.ExecuteNonQueryAsync(ct);
            var stored = await FindAsync(c, tx, d.IdempotencyKey, ct);
            await tx.CommitAsync(ct);
            return new LedgerWrite(stored!.Value.Entry, Duplicate: false, PayloadMismatch: false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<LedgerEntry?> FindByKeyAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return (await FindAsync(c, null, idempotencyKey, ct))?.Entry;
    }

    public async Task<IReadOnlyList<LedgerEntry>> BySequenceKeyAsync(string sequenceKey, string? plant, CancellationToken ct) =>
        await QueryAsync(
            $"SELECT {Columns} FROM documents WHERE sequence_key = $seqKey AND ($plant IS NULL OR plant = $plant) ORDER BY plant, sequence;",
            p => { p.AddWithValue("$seqKey", sequenceKey); p.AddWithValue("$plant", (object?)plant ?? DBNull.Value); },
            ct);

    public async Task<IReadOnlyList<LedgerEntry>> AllAsync(string? plant, CancellationToken ct) =>
        await QueryAsync(
            $"SELECT {Columns} FROM documents WHERE ($plant IS NULL OR plant = $plant) ORDER BY id;",
            p => p.AddWithValue("$plant", (object?)plant ?? DBNull.Value),
            ct);

    public async Task<IReadOnlyList<LedgerTotal>> TotalsAsync(string? plant, CancellationToken ct)
    {
        // Decimal sums are done here, not in SQL: SQLite would sum the TEXT columns as doubles.
        var totals = new Dictionary<(string, string, string), (long N, decimal Q, decimal S)>();
        foreach (var e in await AllAsync(plant, ct))
        {
            var k = (e.Plant, e.SequenceKey, e.DocumentType);
            var t = totals.GetValueOrDefault(k);
            totals[k] = (t.N + 1, t.Q + e.Quantity, t.S + e.ScrapQuantity);
        }

        return totals.OrderBy(t => t.Key).Select(t => new LedgerTotal(t.Key.Item1, t.Key.Item2, t.Key.Item3, t.Value.N, t.Value.Q, t.Value.S)).ToList();
    }

    public async Task<bool> DeleteAsync(string idempotencyKey, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM documents WHERE idempotency_key = $key;";
            cmd.Parameters.AddWithValue("$key", idempotencyKey);
            return await cmd.ExecuteNonQueryAsync(ct) > 0;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM documents;";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools(); // releases the file (tests delete it)
        return ValueTask.CompletedTask;
    }

    internal static string DocumentNumber(string documentType, long id) => documentType switch
    {
        DocumentTypes.ProductionOrderConfirmation => $"CF{id:D8}",
        DocumentTypes.GoodsMovement => $"49{id:D8}",
        _ => $"SS{id:D8}",
    };

    private static LedgerWrite Existing((LedgerEntry Entry, string Hash) existing, NewDocument d) =>
        new(existing.Entry, Duplicate: true, PayloadMismatch: !string.Equals(existing.Hash, d.RequestHash, StringComparison.Ordinal));

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        await ExecAsync(c, "PRAGMA synchronous=NORMAL;", ct);
        return c;
    }

    private static async Task ExecAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<(LedgerEntry Entry, string Hash)?> FindAsync(SqliteConnection c, SqliteTransaction? tx, string key, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {Columns} FROM documents WHERE idempotency_key = $key;";
        cmd.Parameters.AddWithValue("$key", key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (Read(r), r.GetString(15)) : null;
    }

    private async Task<IReadOnlyList<LedgerEntry>> QueryAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd.Parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<LedgerEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }

        return list;
    }

    private static LedgerEntry Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        decimal.Parse(r.GetString(8), CultureInfo.InvariantCulture),
        decimal.Parse(r.GetString(9), CultureInfo.InvariantCulture),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.GetString(11), r.GetInt64(12),
        DateTimeOffset.Parse(r.GetString(13), CultureInfo.InvariantCulture),
        r.GetString(14));
}
