using System.Text.Json.Serialization;

namespace MesErpStreams.Edge.Internal;

/// <summary>Source-generated JSON for the simulator's summary file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext
{
}
