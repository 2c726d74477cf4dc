using MesErpStreams.Avro;

namespace MesErpStreams.Contracts;

/// <summary>A contract type bound to one schema file in <c>schemas/</c>.</summary>
/// <typeparam name="TSelf">The contract type itself.</typeparam>
public interface IAvroContract<TSelf>
    where TSelf : IAvroContract<TSelf>
{
    /// <summary>The parsed schema the type is bound to (from the embedded <c>.avsc</c> file).</summary>
    static abstract Schema Schema { get; }
}
