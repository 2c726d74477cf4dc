namespace MesErpStreams.Sink.Erp;

/// <summary>Options of <see cref="HttpErpClient"/> (configuration section <c>Sink:Erp</c>).</summary>
public sealed class HttpErpClientOptions
{
    /// <summary>Base address of the ERP API, e.g. <c>http://127.0.0.1:8085/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Timeout of one call. Default 10 s. A call that times out is a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Header carrying the idempotency key. Default <c>Idempotency-Key</c>.</summary>
    public string IdempotencyHeader { get; set; } = "Idempotency-Key";

    /// <summary>
    /// Largest number of postings sent in one batch request to <see cref="BatchPath"/>. Default 1000 (the simulator's
    /// limit). 1 turns batching off: every posting is its own call (for an ERP without a batch endpoint).
    /// </summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Path of the batch endpoint, relative to <see cref="BaseAddress"/>. Default <c>api/erp/v1/batch</c>.</summary>
    public string BatchPath { get; set; } = "api/erp/v1/batch";

    /// <summary>Static bearer token. Default none. From configuration/environment only; never logged.</summary>
    public string? BearerToken { get; set; }

    /// <summary>OAuth2 client-credentials token endpoint; when set, tokens are fetched and cached instead of <see cref="BearerToken"/>.</summary>
    public Uri? OAuthTokenEndpoint { get; set; }

    /// <summary>OAuth2 client id.</summary>
    public string? OAuthClientId { get; set; }

    /// <summary>OAuth2 client secret (never logged).</summary>
    public string? OAuthClientSecret { get; set; }

    /// <summary>OAuth2 scope (optional).</summary>
    public string? OAuthScope { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("Erp:BaseAddress (--erp-url) must be an absolute URL", nameof(BaseAddress));
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"Erp:Timeout must be between 0 and 10 minutes (got {Timeout})", nameof(Timeout));
        }

        if (string.IsNullOrWhiteSpace(IdempotencyHeader))
        {
            throw new ArgumentException("Erp:IdempotencyHeader must not be empty", nameof(IdempotencyHeader));
        }

        if (MaxBatchSize is < 1 or > 10_000)
        {
            throw new ArgumentException($"Erp:MaxBatchSize must be 1..10000 (got {MaxBatchSize})", nameof(MaxBatchSize));
        }

        if (MaxBatchSize > 1 && string.IsNullOrWhiteSpace(BatchPath))
        {
            throw new ArgumentException("Erp:BatchPath must not be empty when Erp:MaxBatchSize is above 1", nameof(BatchPath));
        }

        if (OAuthTokenEndpoint is not null && (string.IsNullOrEmpty(OAuthClientId) || string.IsNullOrEmpty(OAuthClientSecret)))
        {
            throw new ArgumentException("Erp:OAuthClientId and Erp:OAuthClientSecret are required with Erp:OAuthTokenEndpoint", nameof(OAuthClientId));
        }
    }
}
