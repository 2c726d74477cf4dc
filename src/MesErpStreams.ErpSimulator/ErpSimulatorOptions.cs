namespace MesErpStreams.ErpSimulator;

/// <summary>Options of the ERP simulator (<c>meserp erp-sim</c>, <see cref="ErpSimulatorHost"/>).</summary>
public sealed class ErpSimulatorOptions
{
    /// <summary>Default of <see cref="MaxBatchSize"/>: 1000.</summary>
    public const int DefaultMaxBatchSize = 1000;

    /// <summary>Largest <see cref="MaxBatchSize"/> accepted: 100,000.</summary>
    public const int MaxBatchSizeLimit = 100_000;

    /// <summary>Address to bind. Default <c>127.0.0.1</c>; set <c>0.0.0.0</c> only on purpose.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port. Default 8085; 0 picks a free port (tests), see <see cref="ErpSimulatorHost.BaseAddress"/>.</summary>
    public int Port { get; set; } = 8085;

    /// <summary>Path of the SQLite ledger file (created if missing, WAL mode). Default <c>erp-ledger.db</c>.</summary>
    public string LedgerPath { get; set; } = "erp-ledger.db";

    /// <summary>
    /// Bearer token required on every endpoint except <c>/health</c> when set. Default none (no auth). Read it from
    /// configuration or the environment; it is never logged.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>Bearer token for <c>/admin/*</c>; defaults to <see cref="BearerToken"/> when unset.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Request header carrying the command's idempotency key. Default <c>Idempotency-Key</c>.</summary>
    public string IdempotencyHeader { get; set; } = "Idempotency-Key";

    /// <summary>
    /// Most postings one <c>POST /api/erp/v1/batch</c> request may carry (1..100,000); a larger batch is refused whole
    /// with 400. Default 1000.
    /// </summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>Fault injection at start; changed at run time through <c>PUT /admin/faults</c>.</summary>
    public FaultOptions Faults { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("--host must not be empty", nameof(Host));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be 0..65535 (got {Port})", nameof(Port));
        }

        if (string.IsNullOrWhiteSpace(LedgerPath))
        {
            throw new ArgumentException("--ledger must name a file", nameof(LedgerPath));
        }

        if (string.IsNullOrWhiteSpace(IdempotencyHeader))
        {
            throw new ArgumentException("idempotency header name must not be empty", nameof(IdempotencyHeader));
        }

        if (MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            throw new ArgumentException($"--max-batch-size must be 1..{MaxBatchSizeLimit} (got {MaxBatchSize})", nameof(MaxBatchSize));
        }

        ArgumentNullException.ThrowIfNull(Faults);
        Faults.Validate();
    }
}
