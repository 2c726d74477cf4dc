namespace MesErpStreams.Reconciliation.Internal;

/// <summary>Where along event → command → posting → ledger the chain broke.</summary>
internal static class GapStages
{
    public const string NoCommand = "no-command";
    public const string NotPosted = "not-posted";
    public const string Retrying = "retrying";
    public const string ErpRejected = "erp-rejected";
    public const string SinkDeadLettered = "sink-dead-lettered";
    public const string NotInLedger = "not-in-ledger";
    public const string Command = "command";
    public const string Ledger = "ledger";
    public const string UnknownDocument = "unknown-document";
}
