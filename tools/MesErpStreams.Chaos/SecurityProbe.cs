using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace MesErpStreams.Chaos;

/// <summary>
/// Bad and unauthenticated requests against the ERP simulator and the schema registry while the run goes on: each must
/// get a 4xx with a JSON error body (never a 5xx, never a crash) and write nothing; and no configured secret may appear
/// in any process's output.
/// </summary>
internal static class SecurityProbe
{
    public static async Task<IReadOnlyList<string>> RunAsync(ChaosPlatform platform, CancellationToken ct)
    {
        var failures = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var erp = platform.ErpUrl;
        var registry = new Uri(platform.RegistryUrl + "/");
        var big = new string('x', 12 * 1024 * 1024);

        async Task Expect(string what, HttpMethod method, Uri url, string? body, string? token, Func<HttpStatusCode, bool> ok, bool jsonBody = true)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            try
            {
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!ok(response.StatusCode))
                {
                    failures.Add($"{what}: {method} {url.AbsolutePath} answered {(int)response.StatusCode}");
                }
                else if (jsonBody && !text.TrimStart().StartsWith('{'))
                {
                    failures.Add($"{what}: {method} {url.AbsolutePath} answered {(int)response.StatusCode} without a JSON error body");
                }
            }
            catch (HttpRequestException e) when (body?.Length > 1_000_000)
            {
                // Kestrel may cut an oversized upload off before the client finishes sending: refused, nothing written.
                _ = e;
            }
        }

        static bool Is4xx(HttpStatusCode c) => (int)c is >= 400 and < 500;
        var before = (await Verdict.ReadLedgerAsync(platform, ct)).Count;
        var posting = new Uri(erp, "api/erp/v1/production-order-confirmations");
        await Expect("ERP without token", HttpMethod.Post, posting, "{}", null, c => c == HttpStatusCode.Unauthorized);
        await Expect("ERP with a wrong token", HttpMethod.Post, posting, "{}", "wrong", c => c == HttpStatusCode.Unauthorized);
        await Expect("ERP ledger without token", HttpMethod.Get, new Uri(erp, "api/erp/v1/ledger/entries"), null, null, c => c == HttpStatusCode.Unauthorized);
        await Expect("ERP admin without token", HttpMethod.Get, new Uri(erp, "admin/faults"), null, null, c => c == HttpStatusCode.Unauthorized);
        await Expect("ERP admin with the API token", HttpMethod.Put, new Uri(erp, "admin/faults"), "{\"outage\":true}", platform.ErpToken, c => c == HttpStatusCode.Unauthorized);
        await Expect("ERP malformed JSON", HttpMethod.Post, posting, "{\"plant\":", platform.ErpToken, Is4xx);
        await Expect("ERP oversized body", HttpMethod.Post, posting, big, platform.ErpToken, Is4xx, jsonBody: false);
        await Expect("ERP unknown route", HttpMethod.Get, new Uri(erp, "api/erp/v1/no-such-thing"), null, platform.ErpToken, Is4xx, jsonBody: false);
        await Expect("registry malformed JSON", HttpMethod.Post, new Uri(registry, "subjects/chaos-probe-value/versions"), "{\"schema\":", null, Is4xx);
        await Expect("registry bad schema", HttpMethod.Post, new Uri(registry, "subjects/chaos-probe-value/versions"), "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}", null, Is4xx);
        await Expect("registry oversized body", HttpMethod.Post, new Uri(registry, "subjects/chaos-probe-value/versions"), big, null, Is4xx, jsonBody: false);
        await Expect("registry unknown route", HttpMethod.Get, new Uri(registry, "no/such/route"), null, null, Is4xx, jsonBody: false);
        var after = (await Verdict.ReadLedgerAsync(platform, ct)).Count;
        if (after < before)
        {
            failures.Add($"the ledger shrank from {before} to {after} documents during the probe");
        }

        if (!platform.Erp.Running)
        {
            failures.Add("the ERP simulator exited during the probe");
        }

        return failures;
    }

    /// <summary>Log lines of any process that contain a configured secret.</summary>
    public static IReadOnlyList<string> FindLeakedSecrets(ChaosPlatform platform)
    {
        var secrets = new[] { platform.ErpToken, platform.AdminToken };
        var leaks = new List<string>();
        foreach (var file in Directory.EnumerateFiles(platform.LogDirectory))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (secrets.Any(s => line.Contains(s, StringComparison.Ordinal)))
                {
                    leaks.Add($"{Path.GetFileName(file)}: a configured token appears in the output");
                    break;
                }
            }
        }

        return leaks;
    }
}
