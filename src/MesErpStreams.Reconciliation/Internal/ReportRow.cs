namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Sums of one measure of one plant/order (and material, unit) on both sides.</summary>
internal sealed record ReportRow(string Plant, string Order, Measure Measure, string? Material, string? Unit)
{
    public decimal MesQuantity { get; set; }

    public int MesDocuments { get; set; }

    public decimal ErpQuantity { get; set; }

    public int ErpDocuments { get; set; }

    public bool Balanced => MesQuantity == ErpQuantity && MesDocuments == ErpDocuments;
}
