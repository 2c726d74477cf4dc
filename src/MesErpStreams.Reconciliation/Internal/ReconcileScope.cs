namespace MesErpStreams.Reconciliation.Internal;

/// <summary>What to reconcile.</summary>
internal sealed record ReconcileScope
{
    /// <summary>Events with occurredAt at or after this (null: no lower bound).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events with occurredAt before this (null: no upper bound).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this plant (null: all).</summary>
    public string? Plant { get; init; }

    /// <summary>Only this work order (null: all).</summary>
    public string? WorkOrder { get; init; }

    /// <summary>Events published (record timestamp) at or after this are still in flight: not expected yet.</summary>
    public DateTimeOffset SettledBefore { get; init; } = DateTimeOffset.MaxValue;

    public bool Contains(string plant, string? order) =>
        (Plant is null || string.Equals(Plant, plant, StringComparison.Ordinal))
        && (WorkOrder is null || string.Equals(WorkOrder, order, StringComparison.Ordinal));

    public bool InRange(DateTimeOffset occurredAt) => (From is not { } f || occurredAt >= f) && (To is not { } t || occurredAt < t);
}
