using System.Reflection;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;

namespace MesErpStreams.Conformance.Tests;

/// <summary>The typed codec of every contract record, by Avro full name, as "decode to the C# record, encode it again".</summary>
internal static class ContractCodecs
{
    private static readonly Lazy<Dictionary<string, Func<byte[], byte[]>>> RoundTrips = new(Build);

    /// <summary>The contract record types (one per record schema of <c>schemas/</c>, shared types included).</summary>
    public static IReadOnlyList<Type> Types { get; } = typeof(IAvroContract<>).Assembly.GetTypes()
        .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAvroContract<>)))
        .ToList();

    /// <summary>Typed decode then encode of <paramref name="fullName"/>'s contract; null when the schema has no contract record (an enum).</summary>
    public static Func<byte[], byte[]>? RoundTrip(string fullName) => RoundTrips.Value.GetValueOrDefault(fullName);

    /// <summary>The contract's schema (the static <c>Schema</c> of <see cref="IAvroContract{TSelf}"/>).</summary>
    public static Schema SchemaOf(Type contract) => (Schema)contract.GetProperty("Schema", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static Dictionary<string, Func<byte[], byte[]>> Build() => Types.ToDictionary(
        t => ((NamedSchema)SchemaOf(t)).FullName,
        t => (Func<byte[], byte[]>)typeof(ContractCodecs).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(t).Invoke(null, null)!);

    private static Func<byte[], byte[]> Typed<T>()
        where T : IAvroContract<T>
    {
        var codec = AvroCodec.For<T>(T.Schema);
        return bytes => codec.Encode(codec.Decode(bytes));
    }
}
