using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MesErpStreams.Contracts.Erp.Master;

namespace MesErpStreams.Pipeline.Master;

/// <summary>
/// ERP master data as JSON Lines, for <c>meserp master-data publish|show</c>: one record per line, a JSON object with a
/// <c>type</c> discriminator (<c>WorkOrder</c> or <c>Material</c>) and the contract's fields in camelCase, e.g.
/// <c>{"type":"WorkOrder","orderNumber":"41000001","plant":"1000","material":"FG-100","plannedQuantity":100,"plannedUnit":"PC","status":"RELEASED","operations":[{"operationNumber":"0010","workCenter":"WC-10","costCenter":"CC-4711"}],"receivingStorageLocation":"FG01","changedAt":"2026-12-07T06:00:00Z"}</c>
/// and <c>{"type":"Material","materialNumber":"FG-100","plant":"1000","baseUnit":"PC","batchManaged":true,"changedAt":"2026-12-07T06:00:00Z"}</c>.
/// Status is the Avro symbol (CREATED, RELEASED, …, case-insensitive); quantities JSON numbers; timestamps ISO 8601.
/// Unknown fields are ignored; a missing required field is an error naming it.
/// </summary>
public static class MasterDataJson
{
    /// <summary>Parses and checks one line.</summary>
    /// <param name="line">The JSON text.</param>
    /// <param name="record">A <see cref="WorkOrder"/> or <see cref="Material"/>, or null.</param>
    /// <param name="error">Why the line was rejected (for people: which field, what was wrong), or null.</param>
    public static bool TryParse(string line, out object? record, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        record = null;
        error = null;
        try
        {
            var utf8 = Encoding.UTF8.GetBytes(line);
            // The source-generated reader sets every init-only property, a missing optional list to null: back to empty.
            record = ReadType(utf8) switch
            {
                "WorkOrder" => JsonSerializer.Deserialize(utf8, MasterDataJsonContext.Default.WorkOrder) is { } o
                    ? o with { Operations = o.Operations ?? [], Components = o.Components ?? [] }
                    : null,
                "Material" => JsonSerializer.Deserialize(utf8, MasterDataJsonContext.Default.Material) is { } m
                    ? m with { AlternativeUnits = m.AlternativeUnits ?? [] }
                    : null,
                null => throw new JsonException("the object has no \"type\" property (WorkOrder or Material)"),
                var other => throw new JsonException($"unknown type \"{other}\" (expected WorkOrder or Material)"),
            };
            error = record switch
            {
                WorkOrder o => Check(o),
                Material m => Check(m),
                _ => "null is not a master-data record",
            };
            return error is null;
        }
        catch (JsonException e)
        {
            error = MesErpStreams.Hosting.ReadableErrors.Json(e);
            return false;
        }
    }

    /// <summary>Formats a <see cref="WorkOrder"/> or <see cref="Material"/> as one line (with its <c>type</c>).</summary>
    public static string Format(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (type, json) = record switch
        {
            WorkOrder o => ("WorkOrder", JsonSerializer.Serialize(o, MasterDataJsonContext.Default.WorkOrder)),
            Material m => ("Material", JsonSerializer.Serialize(m, MasterDataJsonContext.Default.Material)),
            _ => throw new ArgumentException($"{record.GetType().Name} is not a master-data record", nameof(record)),
        };
        return string.Concat("{\"type\":\"", type, "\",", json.AsSpan(1));
    }

    private static string? Check(WorkOrder o) =>
        string.IsNullOrWhiteSpace(o.OrderNumber) ? "orderNumber must not be empty"
        : string.IsNullOrWhiteSpace(o.Plant) ? "plant must not be empty"
        : string.IsNullOrWhiteSpace(o.Material) ? "material must not be empty"
        : o.PlannedQuantity <= 0 ? $"plannedQuantity must be positive (got {o.PlannedQuantity})"
        : o.Operations.Count == 0 ? "operations must list at least one operation"
        : o.Operations.FirstOrDefault(op => string.IsNullOrWhiteSpace(op.OperationNumber) || string.IsNullOrWhiteSpace(op.WorkCenter)) is { } bad
            ? $"operation '{bad.OperationNumber}' needs an operationNumber and a workCenter"
        : null;

    private static string? Check(Material m) =>
        string.IsNullOrWhiteSpace(m.MaterialNumber) ? "materialNumber must not be empty"
        : string.IsNullOrWhiteSpace(m.Plant) ? "plant must not be empty"
        : string.IsNullOrWhiteSpace(m.BaseUnit) ? "baseUnit must not be empty"
        : m.AlternativeUnits.FirstOrDefault(u => u.Numerator <= 0 || u.Denominator <= 0) is { } u
            ? $"alternative unit '{u.Unit}' needs a positive numerator and denominator"
        : null;

    private static string? ReadType(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a line must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
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

/// <summary>Reads and writes <see cref="WorkOrderStatus"/> as its Avro symbol (RELEASED, TECHNICALLY_COMPLETED, …), case-insensitively.</summary>
internal sealed class WorkOrderStatusConverter : JsonConverter<WorkOrderStatus>
{
    private static readonly Dictionary<WorkOrderStatus, string> Symbols = Enum.GetValues<WorkOrderStatus>().ToDictionary(s => s, Symbol);
    private static readonly Dictionary<string, WorkOrderStatus> BySymbol = Symbols.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    public override WorkOrderStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && BySymbol.TryGetValue(text, out var s)
            ? s
            : throw new JsonException($"status must be one of {string.Join(", ", BySymbol.Keys)}, not {text ?? reader.TokenType.ToString()}");
    }

    public override void Write(Utf8JsonWriter writer, WorkOrderStatus value, JsonSerializerOptions options) => writer.WriteStringValue(Symbols[value]);

    private static string Symbol(WorkOrderStatus s) =>
        typeof(WorkOrderStatus).GetField(s.ToString())!.GetCustomAttributes(typeof(MesErpStreams.Avro.AvroEnumSymbolAttribute), false)
            .OfType<MesErpStreams.Avro.AvroEnumSymbolAttribute>().Single().Symbol;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(WorkOrderStatusConverter)])]
[JsonSerializable(typeof(WorkOrder))]
[JsonSerializable(typeof(Material))]
internal sealed partial class MasterDataJsonContext : JsonSerializerContext
{
}
