namespace OrzDynamic.Metrics;

/// <summary>
/// Learning-dynamics metrics of one sequence (one row of a batch, or everything added to one
/// <see cref="LearningDynamicsAccumulator"/>). Sums are 0 and means/A_norm/match rate are NaN when
/// <see cref="ValidTokens"/> is 0. See <see cref="LearningDynamics"/> for the formulas.
/// </summary>
public sealed record SequenceMetrics
{
    /// <summary>Σ log p(y_t) over valid positions (divided by M when computed with averageLogProb).</summary>
    public required double OutToken { get; init; }

    /// <summary>Σ log max_v p_v over valid positions (divided by M when computed with averageLogProb).</summary>
    public required double OutArgmax { get; init; }

    /// <summary>Σ log(1 − max_v p_v) over valid positions (divided by M when computed with averageLogProb).</summary>
    public required double OutExceptArgmax { get; init; }

    /// <summary>‖I − 1pᵀ‖_F = sqrt(V·(mean_t‖p_t‖₂)² + V − 2) (or the ORZ-clamped variant when requested).</summary>
    public required double ANorm { get; init; }

    /// <summary>mean over valid positions of ‖p_t − e_{y_t}‖₂.</summary>
    public required double ProbGap2Mean { get; init; }

    /// <summary>mean over valid positions of 1 − p(y_t).</summary>
    public required double ProbEnergy { get; init; }

    /// <summary>Fraction of valid positions whose argmax equals the label (NaN when M = 0).</summary>
    public required double ArgmaxMatchRate { get; init; }

    /// <summary>mean over valid positions of ‖p_t‖₂ (the quantity inside A_norm; NaN when M = 0).</summary>
    public required double MeanProbNorm { get; init; }

    /// <summary>Number of valid (scored) positions M.</summary>
    public required long ValidTokens { get; init; }

    /// <summary>Number of valid positions whose argmax equals the label.</summary>
    public required long ArgmaxMatches { get; init; }

    /// <summary>Argmax token id of every position (valid or not), in order; length T − 1 for a batch row.</summary>
    public required long[] LabelsArgmax { get; init; }

    /// <summary>Whether the three sums were divided by M.</summary>
    public required bool AverageLogProb { get; init; }

    /// <summary>Per-position traces, or null unless <see cref="MetricsOptions.CollectTokenTraces"/> was set.</summary>
    public IReadOnlyList<TokenTrace>? TokenTraces { get; init; }
}
