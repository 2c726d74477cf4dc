using System.Net.Http.Json;
using System.Text.Json;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp.Internal;

namespace MesErpStreams.Sink.Erp;

/// <summary>
/// <see cref="IErpClient"/> for the simulator's JSON API (<c>meserp erp-sim</c>): production order confirmations,
/// goods movements and stock status changes, the idempotency key in <see cref="HttpErpClientOptions.IdempotencyHeader"/>.
/// A real ERP (e.g. SAP S/4HANA's order confirmation and material document OData APIs with
/// <c>Repeatability-Request-ID</c>) is another <see cref="IErpClient"/> with its own request mapping; classification
/// and everything above the client stay as they are.
/// </summary>
public sealed class HttpErpClient : IErpClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly HttpErpClientOptions _options;
    private readonly OAuthTokenSource _tokens;
    private readonly TimeProvider _time;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="http">HttpClient to use (e.g. from IHttpClientFactory); a new one when null. Keep its own Timeout above <see cref="HttpErpClientOptions.Timeout"/>.</param>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public HttpErpClient(HttpErpClientOptions options, HttpClient? http = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownsHttp = http is null;
        // Our own client has no overall timeout: each call gets HttpErpClientOptions.Timeout.
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _time = time ?? TimeProvider.System;
        _tokens = new OAuthTokenSource(_http, options, _time);
    }

    /// <inheritdoc />
    public async Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!TryBuild(command, out var path, out var content, out var invalid))
        {
            return invalid!;
        }

        using (content)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress!, path)) { Content = content };
                request.Headers.TryAddWithoutValidation(_options.IdempotencyHeader, command.IdempotencyKey);
                if (MesErpStreams.Contracts.Common.TraceParent.TryParse(command.Trace?.Traceparent, out var trace))
                {
                    // W3C trace context over HTTP: the ERP call is a child span of the command (same one on every retry).
                    request.Headers.TryAddWithoutValidation("traceparent", trace.Child("erp-call").Value);
                }
                request.Headers.Authorization = await _tokens.GetAsync(timeout.Token);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status == 401)
                {
                    _tokens.Invalidate();
                }

                if (OutcomeClassifier.IsSuccess(response.StatusCode))
                {
                    DocumentAnswer? doc = null;
                    try
                    {
                        doc = await response.Content.ReadFromJsonAsync(ErpWireJsonContext.Default.DocumentAnswer, timeout.Token);
                    }
                    catch (JsonException)
                    {
                        // classified below as a success answer without a document number
                    }

                    var duplicate = doc?.Duplicate == true || response.Headers.Contains("X-Erp-Duplicate");
                    return OutcomeClassifier.FromResponse(status, doc?.DocumentNumber, duplicate, null, null);
                }

                return OutcomeClassifier.FromResponse(status, null, false, await ReadErrorAsync(response, timeout.Token),
                    OutcomeClassifier.RetryAfter(response, _time.GetUtcNow()));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return OutcomeClassifier.FromException(new TimeoutException(), timedOut: true);
            }
            catch (HttpRequestException e)
            {
                return OutcomeClassifier.FromException(e, timedOut: false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tokens.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        try
        {
            var e = JsonSerializer.Deserialize(text, ErpWireJsonContext.Default.ErrorAnswer);
            if (e?.Message is { Length: > 0 } m)
            {
                return e.Field is null ? m : $"{m} (field {e.Field})";
            }
        }
        catch (JsonException)
        {
            // not our error format: fall back to the raw text
        }

        return text.Length == 0 ? null : text[..Math.Min(text.Length, 500)];
    }

    private static bool TryBuild(ErpPostingCommand c, out string path, out HttpContent? content, out ErpPostingOutcome? invalid)
    {
        content = null;
        invalid = null;
        path = string.Empty;
        switch (c.Body)
        {
            case OrderConfirmation o:
                path = "api/erp/v1/production-order-confirmations";
                content = JsonContent.Create(new ConfirmationBody(c.Plant, o.OrderNumber, o.Operation, o.WorkCenter, o.YieldQuantity, o.ScrapQuantity,
                    o.Unit, o.FinalConfirmation, o.Batch, o.ReasonCode, o.PostingDate), ErpWireJsonContext.Default.ConfirmationBody);
                return true;
            case GoodsMovement g:
                path = "api/erp/v1/goods-movements";
                content = JsonContent.Create(new GoodsMovementBody(g.Plant, g.MovementType, g.Material, g.Quantity, g.BaseUnit, g.OrderNumber, g.Batch,
                    g.StorageLocation, g.CostCenter, g.ReasonCode, g.PostingDate), ErpWireJsonContext.Default.GoodsMovementBody);
                return true;
            case StockStatusChange s when s.Action is StockStatusAction.Block or StockStatusAction.Unblock:
                path = "api/erp/v1/stock-status-changes";
                content = JsonContent.Create(new StockStatusBody(s.Plant, s.Material, s.Batch, s.Action == StockStatusAction.Block ? "BLOCK" : "UNBLOCK",
                    s.Quantity, s.BaseUnit, s.StorageLocation, s.HoldId, s.ReasonCode), ErpWireJsonContext.Default.StockStatusBody);
                return true;
            default:
                invalid = ErpPostingOutcome.Invalid($"command type {c.CommandType} has no matching body this sink can post");
                return false;
        }
    }
}
