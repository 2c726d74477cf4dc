namespace MesErpStreams.Reconciliation.Internal;

/// <summary>One difference between MES and ERP, with the events behind it.</summary>
internal sealed record Gap(
    GapKind Kind,
    string Stage,
    string Plant,
    string Order,
    string? IdempotencyKey,
    IReadOnlyList<Guid> EventIds,
    IReadOnlyList<Effect>? Expected,
    IReadOnlyList<Effect>? Actual,
    string Detail)
{
    public string KindLabel => Kind switch
    {
        GapKind.Missing => "missing",
        GapKind.Extra => "extra",
        _ => "quantity-mismatch",
    };
}
