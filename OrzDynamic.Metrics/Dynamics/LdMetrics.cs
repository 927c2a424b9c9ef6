using System.Text.Json.Serialization;

namespace OrzDynamic.Metrics;

/// <summary>
/// The per-answer learning-dynamics metrics (see <see cref="LdMetricKeys"/>), as stored in the results JSONL: the
/// values of one answer, one position, or (<see cref="LearningDynamicsSummary"/>) a batch mean. The Metrics library's
/// richer results (<see cref="SequenceMetrics"/>, <see cref="LearningDynamicsSummary"/>) derive from it.
/// </summary>
public record LdMetrics
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

    /// <summary>The eight values alone (without a derived record's extra data such as per-position ids).</summary>
    public static LdMetrics From(LdMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new LdMetrics(metrics);
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

    /// <summary>
    /// Why the metrics are not <see cref="IsValid"/> ("the response has no tokens to score", or "non-finite metrics: "
    /// and their names), or null when they are valid.
    /// </summary>
    [JsonIgnore]
    public string? InvalidReason => ValidTokens == 0 ? "the response has no tokens to score"
        : !IsValid ? "non-finite metrics: " + string.Join(", ", LdMetricKeys.All.Where(n => !double.IsFinite(Get(n))))
        : null;
}
