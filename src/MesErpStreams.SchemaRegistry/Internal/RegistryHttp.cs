using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MesErpStreams.SchemaRegistry.Internal;

/// <summary>
/// HTTP transport of the registry client: Confluent media type, basic auth, TLS settings, fail-over between URLs,
/// bounded retries with exponential backoff and jitter on 408/429/5xx and connection failures.
/// </summary>
internal sealed class RegistryHttp : IDisposable
{
    internal const string MediaType = "application/vnd.schemaregistry.v1+json";

    private readonly HttpClient http;
    private readonly IReadOnlyList<string> urls;
    private readonly SchemaRegistryClientOptions options;
    private readonly AuthenticationHeaderValue? auth;
    private int preferredUrl;

    public RegistryHttp(SchemaRegistryClientOptions options)
    {
        this.options = options;
        urls = options.Urls();
        http = new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (options.BasicAuthUserInfo is { } userInfo)
        {
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        }
    }

    public async Task<JsonNode?> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body, CancellationToken ct)
    {
        var bodyText = body?.ToJsonString();
        Exception? lastFailure = null;
        string lastWhat = "";
        for (var attempt = 0; attempt <= options.MaxRetries; attempt++)
        {
            TimeSpan? retryAfter = null;
            var start = Volatile.Read(ref preferredUrl);
            for (var i = 0; i < urls.Count; i++)
            {
                var index = (start + i) % urls.Count;
                var url = urls[index] + pathAndQuery;
                using var request = new HttpRequestMessage(method, url);
                request.Headers.Accept.ParseAdd(MediaType);
                request.Headers.Accept.ParseAdd("application/json");
                request.Headers.Authorization = auth;
                if (bodyText is not null)
                {
                    request.Content = new StringContent(bodyText, Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.RequestTimeout);
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    // Connection failure or timeout: try the next URL, then back off.
                    lastFailure = e;
                    lastWhat = $"{method} {url}: {(e is OperationCanceledException ? $"timed out after {options.RequestTimeout.TotalMilliseconds:0} ms" : e.Message)}";
                    continue;
                }

                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync(ct);
                    var status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        Volatile.Write(ref preferredUrl, index);
                        return text.Length == 0 ? null : JsonNode.Parse(text);
                    }

                    var error = ToException(method, pathAndQuery, status, text);
                    if (!IsRetriable(response.StatusCode))
                    {
                        throw error;
                    }

                    lastFailure = error;
                    lastWhat = error.Message;
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    break; // the registry answered: retry it after a backoff rather than fail over
                }
            }

            if (attempt < options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt, retryAfter), ct);
            }
        }

        if (lastFailure is SchemaRegistryException sre)
        {
            throw new SchemaRegistryException($"{sre.Message} (gave up after {options.MaxRetries + 1} attempts)", sre.StatusCode, sre.ErrorCode, sre);
        }

        throw new SchemaRegistryException(
            $"schema registry unreachable after {options.MaxRetries + 1} attempts: {lastWhat}", null, -1, lastFailure);
    }

    public void Dispose() => http.Dispose();

    internal static bool IsRetriable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exp = options.RetryBackoff.TotalMilliseconds * Math.Pow(2, attempt);
        // Full jitter over the upper half, so concurrent clients spread out without collapsing to zero delay.
#pragma warning disable CA5394 // jitter needs no cryptographic randomness
        var ms = (exp / 2) + (Random.Shared.NextDouble() * exp / 2);
#pragma warning restore CA5394
        if (retryAfter is { } ra && ra.TotalMilliseconds > ms)
        {
            ms = ra.TotalMilliseconds;
        }

        return TimeSpan.FromMilliseconds(Math.Min(ms, options.MaxRetryBackoff.TotalMilliseconds));
    }

    private static SchemaRegistryException ToException(HttpMethod method, string path, int status, string body)
    {
        var errorCode = status;
        var message = body;
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                errorCode = o["error_code"]?.GetValue<int>() ?? status;
                message = o["message"]?.GetValue<string>() ?? body;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Confluent error body (e.g. a proxy's HTML page): keep the raw text.
            message = body.Length > 300 ? body[..300] : body;
        }

        return new SchemaRegistryException($"schema registry {method} {path} failed: HTTP {status}, error {errorCode}: {message}", status, errorCode);
    }

    private static SocketsHttpHandler CreateHandler(SchemaRegistryClientOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.SslCertificateLocation is { } certPath && options.SslKeyLocation is { } keyPath)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certPath, keyPath)];
        }

        if (!options.EnableSslCertificateVerification)
        {
            // Operators opted out of verification explicitly (EnableSslCertificateVerification = false, development only).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = AcceptAny;
#pragma warning restore CA5359
        }
        else if (options.SslCaLocation is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => ValidateWithCustomRoots(cert, errors, roots);
        }

        return handler;
    }

    private static bool AcceptAny(object sender, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors) => true;

    private static bool ValidateWithCustomRoots(X509Certificate? cert, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf);
    }
}
