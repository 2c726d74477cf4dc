using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Sink.Erp.Internal;

namespace MesErpStreams.Sink.Erp;

/// <summary>
/// <see cref="IErpClient"/> for the simulator's JSON API (<c>meserp erp-sim</c>): production order confirmations,
/// goods movements and stock status changes, the idempotency key in <see cref="HttpErpClientOptions.IdempotencyHeader"/>.
/// As an <see cref="IErpBatchClient"/> it posts many commands in one request to <see cref="HttpErpClientOptions.BatchPath"/>
/// in the OData JSON batch shape (<c>{"requests":[{"id","method","url","headers","body","dependsOn"}]}</c>, answered by
/// <c>{"responses":[{"id","status","body"}]}</c>), which is how SAP S/4HANA's OData services take <c>$batch</c>
/// requests with one change set per document.
/// A real ERP (e.g. SAP S/4HANA's order confirmation and material document OData APIs with
/// <c>Repeatability-Request-ID</c>) is another <see cref="IErpClient"/> with its own request mapping; classification
/// and everything above the client stay as they are.
/// </summary>
public sealed class HttpErpClient : IErpBatchClient, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly HttpErpClientOptions _options;
    private readonly OAuthTokenSource _tokens;
    private readonly TimeProvider _time;
    private readonly JsonEncodedText _idempotencyHeader;

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
        _idempotencyHeader = JsonEncodedText.Encode(options.IdempotencyHeader);
    }

    /// <inheritdoc />
    public int MaxBatchSize => _options.MaxBatchSize;

    /// <inheritdoc />
    public async Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Endpoint(command) is not { } endpoint)
        {
            return Unpostable(command);
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteBody(w, command);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress!, "api/erp/v1/" + endpoint)) { Content = JsonBytes(buffer) };
        request.Headers.TryAddWithoutValidation(_options.IdempotencyHeader, command.IdempotencyKey);
        if (ChildTrace(command) is { } traceparent)
        {
            // W3C trace context over HTTP: the ERP call is a child span of the command (same one on every retry).
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        }

        return (await SendAsync(request, static async (response, status, token) =>
        {
            DocumentAnswer? doc = null;
            try
            {
                doc = await response.Content.ReadFromJsonAsync(ErpWireJsonContext.Default.DocumentAnswer, token);
            }
            catch (JsonException)
            {
                // classified below as a success answer without a document number
            }

            var duplicate = doc?.Duplicate == true || response.Headers.Contains("X-Erp-Duplicate");
            return OutcomeClassifier.FromResponse(status, doc?.DocumentNumber, duplicate, null, null);
        }, ct))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ErpPostingOutcome>> PostBatchAsync(IReadOnlyList<ErpBatchItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new ErpPostingOutcome[items.Count];
        var sent = new bool[items.Count];
        var buffer = new ArrayBufferWriter<byte>(256 + (400 * items.Count));
        var count = 0;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("requests");
            for (var i = 0; i < items.Count; i++)
            {
                var (command, dependent) = items[i];
                if (dependent && i > 0 && !sent[i - 1])
                {
                    outcomes[i] = ErpPostingOutcome.NotExecuted; // its predecessor never left: neither may it
                    continue;
                }

                if (Endpoint(command) is not { } endpoint)
                {
                    outcomes[i] = Unpostable(command);
                    continue;
                }

                sent[i] = true;
                count++;
                w.WriteStartObject();
                w.WriteString("id", Id(i));
                w.WriteString("method", "POST");
                w.WriteString("url", endpoint);
                if (dependent && i > 0)
                {
                    w.WriteStartArray("dependsOn");
                    w.WriteStringValue(Id(i - 1));
                    w.WriteEndArray();
                }

                w.WriteStartObject("headers");
                w.WriteString(_idempotencyHeader, command.IdempotencyKey);
                if (ChildTrace(command) is { } traceparent)
                {
                    w.WriteString("traceparent", traceparent);
                }

                w.WriteEndObject();
                w.WritePropertyName("body");
                WriteBody(w, command);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (count == 0)
        {
            return outcomes;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress!, _options.BatchPath)) { Content = JsonBytes(buffer) };
        var whole = await SendAsync(request, async (response, status, token) =>
        {
            BatchAnswer? answer = null;
            try
            {
                answer = await response.Content.ReadFromJsonAsync(ErpWireJsonContext.Default.BatchAnswer, token);
            }
            catch (JsonException)
            {
                // no per-item answers: every sent item is classified as a bad response below
            }

            foreach (var r in answer?.Responses ?? [])
            {
                if (int.TryParse(r.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < items.Count && sent[i])
                {
                    outcomes[i] = ItemOutcome(r);
                }
            }

            return null;
        }, ct);
        if (whole is { Kind: ErpOutcomeKind.PermanentFailure, HttpStatus: { } status })
        {
            // The request as a whole was refused (no batch endpoint, a proxy's size limit, ...): not the postings' fault,
            // so none of them may be dead-lettered for it. Counted as the ERP being unavailable: the breaker opens and
            // the sink waits, visibly, until the batch endpoint works or Erp:MaxBatchSize is set to 1.
            whole = new ErpPostingOutcome(ErpOutcomeKind.TransientFailure, null, status,
                $"the ERP refused the batch request itself (HTTP {status}: {whole.Message}); check Erp:BatchPath, or set Erp:MaxBatchSize to 1 for an ERP without batches",
                null, "batch-refused", ErpUnavailable: true);
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            if (sent[i])
            {
                // A failed request fails every item alike; an item the answer left out is a bad response (ask again).
                outcomes[i] ??= whole ?? MissingAnswer;
            }
        }

        return outcomes;
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

    private static readonly ErpPostingOutcome MissingAnswer =
        new(ErpOutcomeKind.TransientFailure, null, null, "the batch answer has no response for this posting", null, "bad-response", false);

    private static readonly string[] Ids = Enumerable.Range(0, 1024).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static string Id(int i) => i < Ids.Length ? Ids[i] : i.ToString(CultureInfo.InvariantCulture);

    private static ReadOnlyMemoryContent JsonBytes(ArrayBufferWriter<byte> buffer)
    {
        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>Sends with the per-call timeout and auth; a 2xx goes to <paramref name="onSuccess"/>, anything else is classified here.</summary>
    private async Task<ErpPostingOutcome?> SendAsync(HttpRequestMessage request,
        Func<HttpResponseMessage, int, CancellationToken, Task<ErpPostingOutcome?>> onSuccess, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            request.Headers.Authorization = await _tokens.GetAsync(timeout.Token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status == 401)
            {
                _tokens.Invalidate();
            }

            if (OutcomeClassifier.IsSuccess(response.StatusCode))
            {
                return await onSuccess(response, status, timeout.Token);
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

    private static ErpPostingOutcome ItemOutcome(BatchItemAnswer r)
    {
        if (r.Status is >= 200 and < 300)
        {
            DocumentAnswer? doc = null;
            if (r.Body is { ValueKind: JsonValueKind.Object } b)
            {
                try
                {
                    doc = b.Deserialize(ErpWireJsonContext.Default.DocumentAnswer);
                }
                catch (JsonException)
                {
                    // classified as a success answer without a document number
                }
            }

            return OutcomeClassifier.FromResponse(r.Status, doc?.DocumentNumber, doc?.Duplicate == true, null, null);
        }

        if (r.Status == 424)
        {
            return ErpPostingOutcome.NotExecuted;
        }

        string? message = null;
        if (r.Body is { ValueKind: JsonValueKind.Object } e)
        {
            try
            {
                message = ErrorText(e.Deserialize(ErpWireJsonContext.Default.ErrorAnswer));
            }
            catch (JsonException)
            {
                // no error text
            }
        }

        return OutcomeClassifier.FromResponse(r.Status, null, false, message ?? r.Body?.GetRawText(), null);
    }

    private static string? ErrorText(ErrorAnswer? e) =>
        e?.Message is { Length: > 0 } m ? (e.Field is null ? m : $"{m} (field {e.Field})") : null;

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        try
        {
            if (ErrorText(JsonSerializer.Deserialize(text, ErpWireJsonContext.Default.ErrorAnswer)) is { } m)
            {
                return m;
            }
        }
        catch (JsonException)
        {
            // not our error format: fall back to the raw text
        }

        return text.Length == 0 ? null : text[..Math.Min(text.Length, 500)];
    }

    private static string? ChildTrace(ErpPostingCommand c) =>
        MesErpStreams.Contracts.Common.TraceParent.TryParse(c.Trace?.Traceparent, out var trace) ? trace.Child("erp-call").Value : null;

    private static ErpPostingOutcome Unpostable(ErpPostingCommand c) =>
        ErpPostingOutcome.Invalid($"command type {c.CommandType} has no matching body this sink can post");

    /// <summary>The endpoint (relative to <c>api/erp/v1/</c>) of the command's body, or null when this ERP API has none for it.</summary>
    private static string? Endpoint(ErpPostingCommand c) => c.Body switch
    {
        OrderConfirmation => "production-order-confirmations",
        GoodsMovement => "goods-movements",
        StockStatusChange s when s.Action is StockStatusAction.Block or StockStatusAction.Unblock => "stock-status-changes",
        _ => null,
    };

    private static void WriteBody(Utf8JsonWriter w, ErpPostingCommand c)
    {
        switch (c.Body)
        {
            case OrderConfirmation o:
                JsonSerializer.Serialize(w, new ConfirmationBody(c.Plant, o.OrderNumber, o.Operation, o.WorkCenter, o.YieldQuantity, o.ScrapQuantity,
                    o.Unit, o.FinalConfirmation, o.Batch, o.ReasonCode, o.PostingDate), ErpWireJsonContext.Default.ConfirmationBody);
                break;
            case GoodsMovement g:
                JsonSerializer.Serialize(w, new GoodsMovementBody(g.Plant, g.MovementType, g.Material, g.Quantity, g.BaseUnit, g.OrderNumber, g.Batch,
                    g.StorageLocation, g.CostCenter, g.ReasonCode, g.PostingDate), ErpWireJsonContext.Default.GoodsMovementBody);
                break;
            case StockStatusChange s:
                JsonSerializer.Serialize(w, new StockStatusBody(s.Plant, s.Material, s.Batch, s.Action == StockStatusAction.Block ? "BLOCK" : "UNBLOCK",
                    s.Quantity, s.BaseUnit, s.StorageLocation, s.HoldId, s.ReasonCode), ErpWireJsonContext.Default.StockStatusBody);
                break;
            default:
                throw new InvalidOperationException($"no body for {c.CommandType}"); // Endpoint() returned null first
        }
    }
}
