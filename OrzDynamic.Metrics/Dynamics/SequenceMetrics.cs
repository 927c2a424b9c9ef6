namespace OrzDynamic.Metrics;

/// <summary>
/// Learning-dynamics metrics of one sequence (one row of a batch, or everything added to one
/// <see cref="LearningDynamicsAccumulator"/>). Sums are 0 and means/A_norm/match rate are NaN when
/// <see cref="LdMetrics.ValidTokens"/> is 0. See <see cref="LearningDynamics"/> for the formulas.
/// </summary>
public sealed record SequenceMetrics : LdMetrics
{
    /// <summary>mean over valid positions of ‖p_t‖₂ (the quantity inside A_norm; NaN when M = 0).</summary>
    public required double MeanProbNorm { get; init; }

    /// <summary>Number of valid positions whose argmax equals the label.</summary>
    public required long ArgmaxMatches { get; init; }

    /// <summary>Argmax token id of every position (valid or not), in order; length T − 1 for a batch row.</summary>
    public required long[] LabelsArgmax { get; init; }

    /// <summary>Whether the three sums were divided by M.</summary>
    public required bool AverageLogProb { get; init; }

    /// <summary>Per-position traces, or null unless <see cref="MetricsOptions.CollectTokenTraces"/> was set.</summary>
    public IReadOnlyList<TokenTrace>? TokenTraces { get; init; }
}
