using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>The batch write: one connection, one <c>BEGIN IMMEDIATE</c> transaction and three prepared statements per batch.</summary>
internal sealed partial class SqliteLedger
{
    public async Task<IReadOnlyList<LedgerWrite?>> PostBatchAsync(int count, Func<int, IReadOnlyList<LedgerWrite?>, NewDocument?> next, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(next);
        var results = new LedgerWrite?[count];
        if (count == 0)
        {
            return results;
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct); // BEGIN IMMEDIATE: no other writer until commit
            await using var writer = new BatchWriter(c, tx);
            for (var i = 0; i < count; i++)
            {
                if (next(i, results) is { } d)
                {
                    results[i] = await writer.WriteAsync(d, ct);
                }
            }

            await tx.CommitAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }

        return results;
    }

    /// <summary>
    /// Statements reused for every document of a batch (Microsoft.Data.Sqlite keeps a command's prepared statement while
    /// its text is unchanged). A key is looked up first inside the transaction, so a repeat within the batch finds the
    /// row its first posting inserted; the write lock taken by <c>BEGIN IMMEDIATE</c> means no other process can insert
    /// the key in between, so unlike <see cref="PostAsync"/> there is no constraint race to recover from.
    /// </summary>
    private sealed class BatchWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _find;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _number;
        private readonly SqliteParameter _findKey;
        private readonly SqliteParameter _key, _type, _plant, _order, _material, _batch, _mvt, _qty, _scrap, _unit, _seqKey, _postedAt, _payload, _hash;
        private readonly SqliteParameter _numberNo, _numberId;

        public BatchWriter(SqliteConnection c, SqliteTransaction tx)
        {
            _find = Command(c, tx, $"SELECT {Columns} FROM documents WHERE idempotency_key = $key;");
            _findKey = _find.Parameters.Add("$key", SqliteType.Text);
            _insert = Command(c, tx, """
                INSERT INTO documents (document_number, idempotency_key, document_type, plant, order_number, material, batch,
                  movement_type, quantity, scrap_quantity, unit, sequence_key, sequence, posted_at, payload, request_hash)
                VALUES ('pending-' || $key, $key, $type, $plant, $order, $material, $batch, $mvt, $qty, $scrap, $unit, $seqKey,
                  (SELECT COALESCE(MAX(sequence), 0) + 1 FROM documents WHERE plant = $plant AND sequence_key = $seqKey),
                  $postedAt, $payload, $hash)
                RETURNING id, sequence;
                """);
            var p = _insert.Parameters;
            _key = p.Add("$key", SqliteType.Text);
            _type = p.Add("$type", SqliteType.Text);
            _plant = p.Add("$plant", SqliteType.Text);
            _order = p.Add("$order", SqliteType.Text);
            _material = p.Add("$material", SqliteType.Text);
            _batch = p.Add("$batch", SqliteType.Text);
            _mvt = p.Add("$mvt", SqliteType.Text);
            _qty = p.Add("$qty", SqliteType.Text);
            _scrap = p.Add("$scrap", SqliteType.Text);
            _unit = p.Add("$unit", SqliteType.Text);
            _seqKey = p.Add("$seqKey", SqliteType.Text);
            _postedAt = p.Add("$postedAt", SqliteType.Text);
            _payload = p.Add("$payload", SqliteType.Text);
            _hash = p.Add("$hash", SqliteType.Text);
            _number = Command(c, tx, "UPDATE documents SET document_number = $no WHERE id = $id;");
            _numberNo = _number.Parameters.Add("$no", SqliteType.Text);
            _numberId = _number.Parameters.Add("$id", SqliteType.Integer);
        }

        public async Task<LedgerWrite> WriteAsync(NewDocument d, CancellationToken ct)
        {
            _findKey.Value = d.IdempotencyKey;
            await using (var r = await _find.ExecuteReaderAsync(ct))
            {
                if (await r.ReadAsync(ct))
                {
                    return Existing((Read(r), r.GetString(15)), d);
                }
            }

            var postedAt = DateTimeOffset.UtcNow;
            _key.Value = d.IdempotencyKey;
            _type.Value = d.DocumentType;
            _plant.Value = d.Plant;
            _order.Value = (object?)d.OrderNumber ?? DBNull.Value;
            _material.Value = (object?)d.Material ?? DBNull.Value;
            _batch.Value = (object?)d.Batch ?? DBNull.Value;
            _mvt.Value = (object?)d.MovementType ?? DBNull.Value;
            _qty.Value = d.Quantity.ToString(CultureInfo.InvariantCulture);
            _scrap.Value = d.ScrapQuantity.ToString(CultureInfo.InvariantCulture);
            _unit.Value = (object?)d.Unit ?? DBNull.Value;
            _seqKey.Value = d.SequenceKey;
            _postedAt.Value = postedAt.ToString("O", CultureInfo.InvariantCulture);
            _payload.Value = d.Payload;
            _hash.Value = d.RequestHash;
            long id, sequence;
            await using (var r = await _insert.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct))
                {
                    throw new InvalidOperationException("INSERT … RETURNING returned no row");
                }

                id = r.GetInt64(0);
                sequence = r.GetInt64(1);
            }

            var number = DocumentNumber(d.DocumentType, id);
            _numberNo.Value = number;
            _numberId.Value = id;
            await _number.ExecuteNonQueryAsync(ct);

            // Built from what was just written (the stored text columns read back to these same values), saving a read.
            var entry = new LedgerEntry(number, d.IdempotencyKey, d.DocumentType, d.Plant, d.OrderNumber, d.Material, d.Batch, d.MovementType,
                d.Quantity, d.ScrapQuantity, d.Unit, d.SequenceKey, sequence, postedAt, d.Payload);
            return new LedgerWrite(entry, Duplicate: false, PayloadMismatch: false);
        }

        public async ValueTask DisposeAsync()
        {
            await _find.DisposeAsync();
            await _insert.DisposeAsync();
            await _number.DisposeAsync();
        }

        private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return cmd;
        }
    }
}
