using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MesErpStreams.Sink.Erp.Internal;

/// <summary>Bearer tokens: a static one, or OAuth2 client credentials fetched and cached until shortly before expiry.</summary>
internal sealed class OAuthTokenSource(HttpClient http, HttpErpClientOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    public async ValueTask<AuthenticationHeaderValue?> GetAsync(CancellationToken ct)
    {
        if (options.OAuthTokenEndpoint is null)
        {
            return options.BearerToken is { Length: > 0 } t ? new AuthenticationHeaderValue("Bearer", t) : null;
        }

        if (_token is not null && time.GetUtcNow() < _expires)
        {
            return new AuthenticationHeaderValue("Bearer", _token);
        }

        await _lock.WaitAsync(ct);
        try
        {
            if (_token is null || time.GetUtcNow() >= _expires)
            {
                var form = new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = options.OAuthClientId!,
                    ["client_secret"] = options.OAuthClientSecret!,
                };
                if (!string.IsNullOrEmpty(options.OAuthScope))
                {
                    form["scope"] = options.OAuthScope;
                }

                using var content = new FormUrlEncodedContent(form);
                using var r = await http.PostAsync(options.OAuthTokenEndpoint, content, ct);
                r.EnsureSuccessStatusCode();
                var answer = await r.Content.ReadFromJsonAsync(ErpWireJsonContext.Default.TokenAnswer, ct);
                _token = answer?.AccessToken ?? throw new HttpRequestException("token endpoint answered without access_token");
                _expires = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(30, (answer.ExpiresIn ?? 300) - 30));
            }

            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets the cached token (after a 401).</summary>
    public void Invalidate() => _token = null;

    public void Dispose() => _lock.Dispose();
}
