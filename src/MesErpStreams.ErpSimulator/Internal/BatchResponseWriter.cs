using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>
/// Writes <c>{"responses":[{"id","status","body"}, …]}</c> straight into the response pipe. The item bodies are the
/// single endpoint's <see cref="PostingResponse"/> or <see cref="ErrorResponse"/>, serialized with the same
/// source-generated metadata, so a batch item's body is byte for byte what the single endpoint would answer.
/// </summary>
internal static class BatchResponseWriter
{
    private const int FlushEvery = 256;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = ErpJsonContext.Default.Options.Encoder };

    public static async Task WriteAsync(HttpContext ctx, IReadOnlyList<BatchItem> items, BatchItemResult[] results, CancellationToken ct)
    {
        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var w = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("responses");
            for (var i = 0; i < results.Length; i++)
            {
                var r = results[i];
                w.WriteStartObject();
                w.WriteString("id", items[i].Id);
                w.WriteNumber("status", r.Status);
                w.WritePropertyName("body");
                if (r.Posting is { } posting)
                {
                    JsonSerializer.Serialize(w, posting, ErpJsonContext.Default.PostingResponse);
                }
                else
                {
                    JsonSerializer.Serialize(w, r.Error!, ErpJsonContext.Default.ErrorResponse);
                }

                w.WriteEndObject();
                if (i % FlushEvery == FlushEvery - 1)
                {
                    await w.FlushAsync(ct);
                    await response.BodyWriter.FlushAsync(ct);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(ct);
    }
}
