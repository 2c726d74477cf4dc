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

        if (OAuthTokenEndpoint is not null && (string.IsNullOrEmpty(OAuthClientId) || string.IsNullOrEmpty(OAuthClientSecret)))
        {
            throw new ArgumentException("Erp:OAuthClientId and Erp:OAuthClientSecret are required with Erp:OAuthTokenEndpoint", nameof(OAuthClientId));
        }
    }
}
