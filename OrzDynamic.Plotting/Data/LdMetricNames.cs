namespace OrzDynamic.Plotting.Data;

/// <summary>
/// Names of the learning-dynamics metrics, kept as plain strings so that this library stays independent of the
/// metric implementations. <see cref="All"/> fixes the canonical panel order of every chart.
/// </summary>
public static class LdMetricNames
{
    /// <summary>Summed log-probability of the answer's own tokens (large negative values, e.g. −300).</summary>
    public const string OutToken = "out_token";

    /// <summary>Summed log-probability of the arg-max tokens along the answer.</summary>
    public const string OutArgmax = "out_argmax";

    /// <summary>Norm of the A matrix (typically 10–400).</summary>
    public const string ANorm = "A_norm";

    /// <summary>Mean squared probability gap.</summary>
    public const string ProbGap2Mean = "prob_gap2_mean";

    /// <summary>Probability energy (in [0, 1]).</summary>
    public const string ProbEnergy = "prob_energy";

    /// <summary>The five metrics in canonical order: out_token, out_argmax, A_norm, prob_gap2_mean, prob_energy.</summary>
    public static IReadOnlyList<string> All { get; } = [OutToken, OutArgmax, ANorm, ProbGap2Mean, ProbEnergy];
}
