namespace MesErpStreams.Avro;

/// <summary>Excludes a property from Avro binding (it is neither written nor read).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class AvroIgnoreAttribute : Attribute
{
}
