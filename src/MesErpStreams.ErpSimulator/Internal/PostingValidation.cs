using System.Security.Cryptography;
using System.Text;

namespace MesErpStreams.ErpSimulator.Internal;

/// <summary>Validates posting bodies and turns them into ledger documents (or a 400/422 error).</summary>
internal static class PostingValidation
{
    /// <summary>Quantities carry at most this many decimals (ERP quantity fields are DEC 13,3).</summary>
    public const int MaxScale = 3;

    private static readonly HashSet<string> MovementTypes = ["101", "102", "261", "262", "311", "551", "552"];
    private static readonly HashSet<string> OrderMovementTypes = ["101", "102", "261", "262"];

    internal sealed record Result(NewDocument? Document, int Status, ErrorResponse? Error);

    public static Result Confirmation(ProductionOrderConfirmationRequest r, string key, string payload)
    {
        if ((Missing(r.Plant, "plant") ?? Missing(r.OrderNumber, "orderNumber") ?? Missing(r.Operation, "operation") ?? Missing(r.Unit, "unit")) is { } m)
        {
            return m;
        }

        var yield = r.YieldQuantity ?? 0m;
        var scrap = r.ScrapQuantity ?? 0m;
        if ((Quantity(yield, "yieldQuantity", allowZero: true) ?? Quantity(scrap, "scrapQuantity", allowZero: true)) is { } q)
        {
            return q;
        }

        if (yield == 0 && scrap == 0 && !r.FinalConfirmation)
        {
            return Unprocessable("a partial confirmation needs a yield or scrap quantity", "yieldQuantity");
        }

        return Ok(new NewDocument(key, DocumentTypes.ProductionOrderConfirmation, r.Plant!, r.OrderNumber, null, r.Batch, null,
            yield, scrap, r.Unit, r.OrderNumber!, Hash(DocumentTypes.ProductionOrderConfirmation, r.Plant, r.OrderNumber, r.Operation,
                r.WorkCenter, yield, scrap, r.Unit, r.FinalConfirmation ? "X" : "", r.Batch), payload));
    }

    public static Result GoodsMovement(GoodsMovementRequest r, string key, string payload)
    {
        if ((Missing(r.Plant, "plant") ?? Missing(r.MovementType, "movementType") ?? Missing(r.Material, "material") ?? Missing(r.Unit, "unit")) is { } m)
        {
            return m;
        }

        if (!MovementTypes.Contains(r.MovementType!))
        {
            return Unprocessable($"movement type '{r.MovementType}' is not supported", "movementType");
        }

        if (OrderMovementTypes.Contains(r.MovementType!) && string.IsNullOrWhiteSpace(r.OrderNumber))
        {
            return Unprocessable($"movement type {r.MovementType} needs an order number", "orderNumber");
        }

        var qty = r.Quantity ?? 0m;
        if ((Quantity(qty, "quantity", allowZero: false)) is { } q)
        {
            return q;
        }

        var seqKey = r.OrderNumber ?? SequenceKey(r.Material!, r.Batch);
        return Ok(new NewDocument(key, DocumentTypes.GoodsMovement, r.Plant!, r.OrderNumber, r.Material, r.Batch, r.MovementType,
            qty, 0m, r.Unit, seqKey, Hash(DocumentTypes.GoodsMovement, r.Plant, r.MovementType, r.Material, qty, r.Unit, r.OrderNumber,
                r.Batch, r.StorageLocation, r.ReasonCode), payload));
    }

    public static Result StockStatusChange(StockStatusChangeRequest r, string key, string payload)
    {
        if ((Missing(r.Plant, "plant") ?? Missing(r.Material, "material") ?? Missing(r.Batch, "batch") ?? Missing(r.Action, "action")) is { } m)
        {
            return m;
        }

        if (r.Action is not ("BLOCK" or "UNBLOCK"))
        {
            return Unprocessable($"action must be BLOCK or UNBLOCK (got '{r.Action}')", "action");
        }

        var qty = r.Quantity ?? 0m;
        if ((Quantity(qty, "quantity", allowZero: true)) is { } q)
        {
            return q;
        }

        return Ok(new NewDocument(key, DocumentTypes.StockStatusChange, r.Plant!, null, r.Material, r.Batch, r.Action, qty, 0m, r.Unit,
            SequenceKey(r.Material!, r.Batch), Hash(DocumentTypes.StockStatusChange, r.Plant, r.Material, r.Batch, r.Action, qty, r.Unit,
                r.HoldId), payload));
    }

    public static string SequenceKey(string material, string? batch) => batch is null ? material : $"{material}/{batch}";

    private static Result Ok(NewDocument d) => new(d, 0, null);

    private static Result? Missing(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? new Result(null, 400, new ErrorResponse("validation", $"'{field}' is required", field)) : null;

    private static Result Unprocessable(string message, string field) => new(null, 422, new ErrorResponse("validation", message, field));

    private static Result? Quantity(decimal value, string field, bool allowZero)
    {
        if (value < 0 || (!allowZero && value == 0))
        {
            return Unprocessable($"'{field}' must be {(allowZero ? "zero or positive" : "positive")} (got {value})", field);
        }

        return value.Scale > MaxScale && value != Math.Round(value, MaxScale)
            ? Unprocessable($"'{field}' has more than {MaxScale} decimals (got {value})", field)
            : null;
    }

    /// <summary>Hash of the business content (posting time excluded), to tell a retry from a conflicting reuse of a key.</summary>
    private static string Hash(params object?[] parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts)
        {
            sb.Append(p switch { decimal d => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), null => "", _ => p.ToString() }).Append('\u001f');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
