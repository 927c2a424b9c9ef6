namespace OrzDynamic.Metrics;

/// <summary>Per-position trace, collected when <see cref="MetricsOptions.CollectTokenTraces"/> is set.</summary>
/// <param name="Position">Index of the position in the order it was added (0-based; in a batch row, position t predicts label t+1).</param>
/// <param name="Label">The label scored at this position, or −100 when ignored.</param>
/// <param name="Argmax">Most likely token id at this position.</param>
/// <param name="LogProbLabel">log p(label), or NaN when the position is ignored.</param>
/// <param name="ProbMax">The largest probability max_v p_v.</param>
/// <param name="LogOneMinusProbMax">log(1 − p_max), exact even when p_max rounds to 1.</param>
/// <param name="ProbNorm">‖p‖₂ of the position's distribution.</param>
public readonly record struct TokenTrace(long Position, long Label, long Argmax, double LogProbLabel, double ProbMax, double LogOneMinusProbMax,
    double ProbNorm)
{
    /// <summary>True when the position is scored (its label is not −100).</summary>
    public bool IsValid => Label != LearningDynamics.IgnoreIndex;
}
