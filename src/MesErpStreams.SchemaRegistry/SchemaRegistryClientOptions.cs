namespace MesErpStreams.SchemaRegistry;

/// <summary>
/// Settings of <see cref="CachedSchemaRegistryClient"/>, named after Confluent's client properties. Bind from
/// configuration; credentials come from configuration or the environment and are never logged.
/// </summary>
public sealed class SchemaRegistryClientOptions
{
    /// <summary>
    /// Base URL(s) of the registry, comma-separated (<c>schema.registry.url</c>); on a connection failure the next
    /// one is tried. Required.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>Basic authentication as <c>user:password</c> (<c>basic.auth.user.info</c>); null for none.</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>Timeout of one HTTP request. Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a 408, 429, 5xx or connection failure (so at most 1 + this many attempts). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Backoff before the first retry, doubled per retry (with jitter). Default 100 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the backoff (also of a server's Retry-After). Default 5 seconds.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PEM file of the CA(s) that sign the registry's certificate (<c>ssl.ca.location</c>); null for the system store.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PEM client certificate for mutual TLS (<c>ssl.certificate.location</c>); null for none.</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/> (<c>ssl.key.location</c>).</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Verify the registry's TLS certificate. Default true; false only for development.</summary>
    public bool EnableSslCertificateVerification { get; set; } = true;

    /// <summary>Maximum number of entries of each cache (schemas by id, ids by subject and schema). Default 1000.</summary>
    public int MaxCachedSchemas { get; set; } = 1000;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        var urls = Urls();
        if (urls.Count == 0)
        {
            throw new ArgumentException("SchemaRegistry Url is required (e.g. http://127.0.0.1:8081).", nameof(Url));
        }

        foreach (var u in urls)
        {
            if (!Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"SchemaRegistry Url '{u}' is not an absolute http(s) URL.", nameof(Url));
            }
        }

        if (BasicAuthUserInfo is { } info && !info.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("SchemaRegistry BasicAuthUserInfo must be 'user:password'.", nameof(BasicAuthUserInfo));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("SchemaRegistry RequestTimeout must be positive.", nameof(RequestTimeout));
        }

        if (MaxRetries is < 0 or > 20)
        {
            throw new ArgumentException("SchemaRegistry MaxRetries must be within 0..20.", nameof(MaxRetries));
        }

        if (RetryBackoff < TimeSpan.Zero || MaxRetryBackoff < RetryBackoff)
        {
            throw new ArgumentException("SchemaRegistry RetryBackoff must be >= 0 and <= MaxRetryBackoff.", nameof(RetryBackoff));
        }

        if ((SslCertificateLocation is null) != (SslKeyLocation is null))
        {
            throw new ArgumentException("SchemaRegistry SslCertificateLocation and SslKeyLocation must be set together.", nameof(SslKeyLocation));
        }

        if (MaxCachedSchemas < 1)
        {
            throw new ArgumentException("SchemaRegistry MaxCachedSchemas must be at least 1.", nameof(MaxCachedSchemas));
        }
    }

    internal IReadOnlyList<string> Urls() =>
        Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => u.TrimEnd('/')).ToArray();
}
