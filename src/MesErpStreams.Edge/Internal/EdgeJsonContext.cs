using System.Text.Json;
using System.Text.Json.Serialization;
using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Edge.Internal;

/// <summary>Source-generated System.Text.Json metadata for the MES event records (no reflection per line).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    Converters = [typeof(HoldActionConverter)])]
[JsonSerializable(typeof(ProductionConfirmation))]
[JsonSerializable(typeof(ScrapReport))]
[JsonSerializable(typeof(MaterialConsumption))]
[JsonSerializable(typeof(QualityHold))]
internal sealed partial class EdgeJsonContext : JsonSerializerContext
{
}

/// <summary>Reads and writes <see cref="QualityHoldAction"/> as its Avro symbol (PLACED, RELEASED), case-insensitively.</summary>
internal sealed class HoldActionConverter : JsonConverter<QualityHoldAction>
{
    public override QualityHoldAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text?.ToUpperInvariant() switch
        {
            "PLACED" => QualityHoldAction.Placed,
            "RELEASED" => QualityHoldAction.Released,
            "UNKNOWN" => QualityHoldAction.Unknown,
            _ => throw new JsonException($"action must be PLACED or RELEASED, not {text ?? reader.TokenType.ToString()}"),
        };
    }

    public override void Write(Utf8JsonWriter writer, QualityHoldAction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            QualityHoldAction.Placed => "PLACED",
            QualityHoldAction.Released => "RELEASED",
            _ => "UNKNOWN",
        });
}
