using System.Text.Json.Serialization;

namespace MesErpStreams.PipelineBench;

/// <summary>The JSON file: the settings, every row, and the search's answer.</summary>
internal sealed record BenchReport
{
    [JsonPropertyName("generated_at")] public required DateTimeOffset GeneratedAt { get; init; }

    [JsonPropertyName("machine")] public required string Machine { get; init; }

    [JsonPropertyName("processor_count")] public required int ProcessorCount { get; init; }

    [JsonPropertyName("cpu_model")] public string? CpuModel { get; init; }

    [JsonPropertyName("offer_seconds_per_point")] public required double OfferSeconds { get; init; }

    [JsonPropertyName("plants")] public required int Plants { get; init; }

    [JsonPropertyName("active_orders_per_plant")] public required int ActiveOrders { get; init; }

    [JsonPropertyName("seed")] public required int Seed { get; init; }

    [JsonPropertyName("sustain_criterion")] public required string SustainCriterion { get; init; }

    /// <summary>Highest offered rate of a sustained point with the ERP at 0 ms (single process), or null when none was.</summary>
    [JsonPropertyName("highest_sustained_rate_erp_0ms")] public double? HighestSustainedRate { get; init; }

    [JsonPropertyName("rows")] public required IReadOnlyList<BenchRow> Rows { get; init; }

    [JsonPropertyName("passed")] public required bool Passed { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
