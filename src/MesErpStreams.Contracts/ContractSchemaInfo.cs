namespace MesErpStreams.Contracts;

/// <summary>A schema file that is the value schema of one or more topics.</summary>
/// <param name="File">Path relative to <c>schemas/</c>, e.g. <c>mes/ProductionConfirmation.avsc</c>.</param>
/// <param name="Topics">Topics whose message values use the schema.</param>
public sealed record ContractSchemaInfo(string File, IReadOnlyList<string> Topics);
