using System.Text;
using System.Text.Json;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Edge.Internal;

namespace MesErpStreams.Edge;

/// <summary>
/// The edge's JSON Lines format: one MES event per line, a JSON object with a <c>type</c> discriminator
/// (<c>ProductionConfirmation</c>, <c>ScrapReport</c>, <c>MaterialConsumption</c>, <c>QualityHold</c>) and the
/// contract's fields in camelCase, e.g.
/// <c>{"type":"ProductionConfirmation","eventId":"…","plant":"1000","sourceSystem":"MES-A","occurredAt":"2026-11-22T05:00:00Z","sequence":1,"workOrder":"100001","operation":"0010","workCenter":"WC-10","yieldQuantity":{"value":12.5,"unit":"PC"},"finalConfirmation":false}</c>.
/// Quantities are JSON numbers or strings (exact decimals, at most 6 fractional digits); timestamps ISO 8601;
/// the hold action is <c>PLACED</c> or <c>RELEASED</c>. Unknown fields are ignored; missing required fields are errors.
/// </summary>
public static class MesEventJson
{
    private static ReadOnlySpan<byte> TypeProperty => "type"u8;

    /// <summary>Parses and validates one line.</summary>
    /// <param name="line">The JSON text.</param>
    /// <param name="result">The validated event, or null.</param>
    /// <param name="error">Why the line was rejected, or null.</param>
    /// <returns>True when the line is a valid event.</returns>
    public static bool TryParse(string line, out EdgeEvent? result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryParse(Encoding.UTF8.GetBytes(line), out result, out error);
    }

    /// <summary>Parses and validates one line given as UTF-8 bytes (what <c>meserp edge publish</c> reads).</summary>
    /// <param name="utf8">The JSON text as UTF-8, without the line terminator.</param>
    /// <param name="result">The validated event, or null.</param>
    /// <param name="error">Why the line was rejected, or null.</param>
    /// <returns>True when the line is a valid event.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out EdgeEvent? result, out string? error)
    {
        result = null;
        error = null;
        try
        {
            var type = ReadType(utf8);
            object? value = type switch
            {
                "ProductionConfirmation" => JsonSerializer.Deserialize(utf8, EdgeJsonContext.Default.ProductionConfirmation),
                "ScrapReport" => JsonSerializer.Deserialize(utf8, EdgeJsonContext.Default.ScrapReport),
                "MaterialConsumption" => JsonSerializer.Deserialize(utf8, EdgeJsonContext.Default.MaterialConsumption),
                "QualityHold" => JsonSerializer.Deserialize(utf8, EdgeJsonContext.Default.QualityHold),
                null => throw new JsonException("the object has no \"type\" property"),
                _ => throw new JsonException($"unknown type \"{type}\" (expected ProductionConfirmation, ScrapReport, MaterialConsumption or QualityHold)"),
            };
            if (value is null)
            {
                error = "null is not an event";
                return false;
            }

            result = EdgeEvent.From(value);
            return true;
        }
        catch (JsonException e)
        {
            error = MesErpStreams.Hosting.ReadableErrors.Json(e);
            return false;
        }
        catch (ArgumentException e)
        {
            error = MesErpStreams.Hosting.ReadableErrors.Argument(e);
            return false;
        }
    }

    /// <summary>Formats an event record as one line of the format (with its <c>type</c>).</summary>
    /// <param name="mesEvent">A <see cref="ProductionConfirmation"/>, <see cref="ScrapReport"/>, <see cref="MaterialConsumption"/> or <see cref="QualityHold"/>.</param>
    /// <returns>The JSON line without a line terminator.</returns>
    public static string Format(object mesEvent)
    {
        ArgumentNullException.ThrowIfNull(mesEvent);
        var (type, json) = mesEvent switch
        {
            ProductionConfirmation e => ("ProductionConfirmation", JsonSerializer.Serialize(e, EdgeJsonContext.Default.ProductionConfirmation)),
            ScrapReport e => ("ScrapReport", JsonSerializer.Serialize(e, EdgeJsonContext.Default.ScrapReport)),
            MaterialConsumption e => ("MaterialConsumption", JsonSerializer.Serialize(e, EdgeJsonContext.Default.MaterialConsumption)),
            QualityHold e => ("QualityHold", JsonSerializer.Serialize(e, EdgeJsonContext.Default.QualityHold)),
            _ => throw new ArgumentException($"{mesEvent.GetType().Name} is not a MES event record", nameof(mesEvent)),
        };
        return string.Concat("{\"type\":\"", type, "\",", json.AsSpan(1));
    }

    private static string? ReadType(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a line must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals(TypeProperty);
            reader.Read();
            if (isType)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("\"type\" must be a string");
            }

            reader.Skip();
        }

        return null;
    }
}
