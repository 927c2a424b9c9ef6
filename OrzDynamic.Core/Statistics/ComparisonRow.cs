namespace OrzDynamic.Core.Statistics;

/// <summary>
/// One tested change between two checkpoints: a metric (or accuracy) in one stratum of one dataset. All effects are
/// "to − from" (later minus earlier checkpoint).
/// </summary>
public sealed record ComparisonRow
{
    /// <summary>The pseudo-metric name of the accuracy rows.</summary>
    public const string AccuracyMetric = "accuracy";

    /// <summary>Dataset name.</summary>
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    /// <summary>Against the previous or the first checkpoint.</summary>
    [JsonPropertyName("kind")] public ComparisonKind Kind { get; init; }
    /// <summary>Earlier checkpoint label.</summary>
    [JsonPropertyName("from_checkpoint")] public required string FromCheckpoint { get; init; }
    /// <summary>Earlier checkpoint iteration.</summary>
    [JsonPropertyName("from_iteration")] public int FromIteration { get; init; }
    /// <summary>Later checkpoint label.</summary>
    [JsonPropertyName("to_checkpoint")] public required string ToCheckpoint { get; init; }
    /// <summary>Later checkpoint iteration.</summary>
    [JsonPropertyName("to_iteration")] public int ToIteration { get; init; }
    /// <summary>Metric name, or <see cref="AccuracyMetric"/>.</summary>
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    /// <summary><see cref="Strata.All"/>, <see cref="Strata.Correct"/> or <see cref="Strata.Incorrect"/>.</summary>
    [JsonPropertyName("stratum")] public required string Stratum { get; init; }
    /// <summary>Mean (or accuracy) at the earlier checkpoint over the values that entered the test; null without any.</summary>
    [JsonPropertyName("mean_from")] public double? MeanFrom { get; init; }
    /// <summary>Mean (or accuracy) at the later checkpoint over the values that entered the test.</summary>
    [JsonPropertyName("mean_to")] public double? MeanTo { get; init; }
    /// <summary>Values of the earlier checkpoint in the test (pairs for paired tests).</summary>
    [JsonPropertyName("n_from")] public int NFrom { get; init; }
    /// <summary>Values of the later checkpoint in the test (pairs for paired tests).</summary>
    [JsonPropertyName("n_to")] public int NTo { get; init; }
    /// <summary>Samples left out of the pairs because one checkpoint lacks them (missing, invalid, skipped); 0 for unpaired tests.</summary>
    [JsonPropertyName("unpaired")] public int Unpaired { get; init; }
    /// <summary>The test that decides significance (McNemar, Wilcoxon, Welch).</summary>
    [JsonPropertyName("test")] public required HypothesisTestResult Test { get; init; }
    /// <summary>The paired t-test reported alongside the Wilcoxon test (stratum "all" only); not in the Holm family.</summary>
    [JsonPropertyName("paired_t")] public HypothesisTestResult? PairedT { get; init; }
    /// <summary>Holm-adjusted p-value of <see cref="Test"/> within its dataset × comparison family; null when not testable.</summary>
    [JsonPropertyName("p_adjusted")] public double? AdjustedP { get; init; }
    /// <summary>Adjusted p below the comparison's alpha.</summary>
    [JsonPropertyName("significant")] public bool Significant { get; init; }

    /// <summary>Raw p-value of <see cref="Test"/>.</summary>
    [JsonIgnore] public double? P => Test.PValue;

    /// <summary>Mean difference (to − from) with its interval: the paired-t interval in stratum "all", Welch's in the strata, the paired accuracy difference for accuracy.</summary>
    [JsonIgnore] public ConfidenceInterval? MeanDifference => PairedT?.EffectInterval ?? Test.EffectInterval;

    /// <summary>"up", "down" or "none": the sign of the median paired difference (mean difference when the median is 0).</summary>
    [JsonPropertyName("direction")]
    public string Direction
    {
        get
        {
            double? e = Test.Effect is { } m && m != 0 ? m : MeanDifference?.Estimate ?? Test.Effect;
            return e is > 0 ? "up" : e is < 0 ? "down" : "none";
        }
    }
}
