namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>Small schemas for registry and serde tests.</summary>
internal static class TestSchemas
{
    public const string V1 = """
        {"type":"record","name":"Reading","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"quantity","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}}]}
        """;

    /// <summary>V1 plus an optional field: BACKWARD and FORWARD compatible.</summary>
    public const string V2 = """
        {"type":"record","name":"Reading","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"quantity","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
          {"name":"unit","type":["null","string"],"default":null}]}
        """;

    /// <summary>V1 plus a required field without default: not BACKWARD compatible (new reader cannot read old data).</summary>
    public const string V1PlusRequiredShift = """
        {"type":"record","name":"Reading","namespace":"test","fields":[
          {"name":"id","type":"string"},
          {"name":"quantity","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
          {"name":"shift","type":"string"}]}
        """;
}

/// <summary>Bound to <see cref="TestSchemas.V1"/>.</summary>
public sealed record ReadingV1
{
    public required string Id { get; init; }

    public required decimal Quantity { get; init; }
}

/// <summary>Bound to <see cref="TestSchemas.V2"/>.</summary>
public sealed record ReadingV2
{
    public required string Id { get; init; }

    public required decimal Quantity { get; init; }

    public string? Unit { get; init; }
}

/// <summary>Bound to <see cref="TestSchemas.V1PlusRequiredShift"/>.</summary>
public sealed record ReadingWithShift
{
    public required string Id { get; init; }

    public required decimal Quantity { get; init; }

    public required string Shift { get; init; }
}
