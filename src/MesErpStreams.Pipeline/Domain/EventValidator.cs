using MesErpStreams.Contracts.Mes;

namespace MesErpStreams.Pipeline.Domain;

/// <summary>
/// Rules for events that are schema-valid but meaningless. Runs before deduplication and enrichment, needs no
/// master data, and returns the first broken rule's reason code (see <see cref="RejectReasons"/>) or null.
/// </summary>
public static class EventValidator
{
    /// <summary>Validates an event at processing time <paramref name="now"/>.</summary>
    /// <param name="e">The event.</param>
    /// <param name="now">Processing time.</param>
    /// <param name="maxClockSkew">How far occurredAt may lie in the future (edge clocks drift).</param>
    /// <param name="detail">A human-readable explanation when the event is rejected.</param>
    /// <returns>The reason code, or null when the event is valid.</returns>
    public static string? Validate(MesEvent e, DateTimeOffset now, TimeSpan maxClockSkew, out string? detail)
    {
        ArgumentNullException.ThrowIfNull(e);
        detail = null;
        if (string.IsNullOrWhiteSpace(e.Plant))
        {
            detail = "plant is empty";
            return RejectReasons.FieldMissing;
        }

        if (e.IsOrderBound && string.IsNullOrWhiteSpace(e.WorkOrder))
        {
            detail = $"{e.Kind} must name a work order";
            return RejectReasons.WorkOrderMissing;
        }

        if (e.OccurredAt > now + maxClockSkew)
        {
            detail = $"occurredAt {e.OccurredAt:O} is more than {maxClockSkew.TotalSeconds:0} s ahead of {now:O}";
            return RejectReasons.OccurredInFuture;
        }

        if (e.Kind != EventKind.ProductionConfirmation && string.IsNullOrWhiteSpace(e.Material))
        {
            detail = "material is empty";
            return RejectReasons.FieldMissing;
        }

        if (e.Quantity is { } q)
        {
            if (!IsUnitCode(q.Unit))
            {
                detail = $"unit '{q.Unit}' is not a unit of measure code";
                return RejectReasons.UnitUnknown;
            }

            // A final confirmation may carry zero yield (the operation is closed with what was already reported).
            var zeroAllowed = e.Payload is ProductionConfirmation { FinalConfirmation: true };
            if (q.Value < 0 || (q.Value == 0 && !zeroAllowed))
            {
                detail = $"quantity {q.Value} {q.Unit} must be positive";
                return RejectReasons.QuantityNotPositive;
            }
        }

        if (e.Payload is QualityHold hold)
        {
            if (hold.Action is QualityHoldAction.Unknown)
            {
                detail = "hold action is not PLACED or RELEASED";
                return RejectReasons.UnknownAction;
            }

            if (string.IsNullOrWhiteSpace(hold.Batch) || string.IsNullOrWhiteSpace(hold.HoldId))
            {
                detail = "a quality hold needs a batch and a hold id";
                return RejectReasons.FieldMissing;
            }
        }

        return null;
    }

    /// <summary>
    /// A unit of measure code as ERPs use them (ISO or internal): 1 to 6 characters, letters and digits, starting
    /// with a letter or digit, e.g. <c>EA</c>, <c>KG</c>, <c>M2</c>, <c>PC</c>, <c>1000</c> is not one (digits only).
    /// </summary>
    public static bool IsUnitCode(string? unit)
    {
        if (string.IsNullOrEmpty(unit) || unit.Length > 6)
        {
            return false;
        }

        var letters = 0;
        foreach (var c in unit)
        {
            if (char.IsAsciiLetter(c))
            {
                letters++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return letters > 0;
    }
}
