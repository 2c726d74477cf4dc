namespace MesErpStreams.SchemaRegistry;

/// <summary>A schema registered under a subject.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Id">Global schema id (what the wire format carries).</param>
/// <param name="Version">Version under the subject, from 1.</param>
/// <param name="SchemaString">The schema text as the registry holds it.</param>
public sealed record RegisteredSchema(string Subject, int Id, int Version, string SchemaString);
