using System.Text.Json.Serialization;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Results;

/// <summary>Learning-dynamics metrics of one answer (or one position), as stored in the JSONL.</summary>
public sealed record LdMetrics
{
    /// <summary>Σ log p(y_t).</summary>
    [JsonPropertyName(LdMetricKeys.OutToken)] public double OutToken { get; init; }
    /// <summary>Σ log max_v p_v.</summary>
    [JsonPropertyName(LdMetricKeys.OutArgmax)] public double OutArgmax { get; init; }
    /// <summary>Σ log(1 − max_v p_v).</summary>
    [JsonPropertyName(LdMetricKeys.OutExceptArgmax)] public double OutExceptArgmax { get; init; }
    /// <summary>sqrt(V·(mean‖p‖)² + V − 2).</summary>
    [JsonPropertyName(LdMetricKeys.ANorm)] public double ANorm { get; init; }
    /// <summary>mean ‖p − e_y‖₂.</summary>
    [JsonPropertyName(LdMetricKeys.ProbGap2Mean)] public double ProbGap2Mean { get; init; }
    /// <summary>mean (1 − p(y)).</summary>
    [JsonPropertyName(LdMetricKeys.ProbEnergy)] public double ProbEnergy { get; init; }
    /// <summary>Share of scored positions whose argmax is the label.</summary>
    [JsonPropertyName(LdMetricKeys.ArgmaxMatchRate)] public double ArgmaxMatchRate { get; init; }
    /// <summary>Number of scored positions.</summary>
    [JsonPropertyName(LdMetricKeys.ValidTokens)] public long ValidTokens { get; init; }

    /// <summary>The stored form of the Metrics library's per-sequence result.</summary>
    public static LdMetrics From(SequenceMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new LdMetrics
        {
            OutToken = m.OutToken, OutArgmax = m.OutArgmax, OutExceptArgmax = m.OutExceptArgmax, ANorm = m.ANorm,
            ProbGap2Mean = m.ProbGap2Mean, ProbEnergy = m.ProbEnergy, ArgmaxMatchRate = m.ArgmaxMatchRate,
            ValidTokens = m.ValidTokens,
        };
    }

    /// <summary>Value of a metric by its results name (see <see cref="LdMetricKeys"/>).</summary>
    public double Get(string name) => name switch
    {
        LdMetricKeys.OutToken => OutToken,
        LdMetricKeys.OutArgmax => OutArgmax,
        LdMetricKeys.OutExceptArgmax => OutExceptArgmax,
        LdMetricKeys.ANorm => ANorm,
        LdMetricKeys.ProbGap2Mean => ProbGap2Mean,
        LdMetricKeys.ProbEnergy => ProbEnergy,
        LdMetricKeys.ArgmaxMatchRate => ArgmaxMatchRate,
        LdMetricKeys.ValidTokens => ValidTokens,
        _ => throw new ArgumentException($"Unknown learning-dynamics metric '{name}'", nameof(name)),
    };

    /// <summary>True when every metric is a finite number and at least one position was scored.</summary>
    [JsonIgnore]
    public bool IsValid => ValidTokens > 0 && LdMetricKeys.All.All(n => double.IsFinite(Get(n)));
}
