namespace OrzDynamic.Metrics;

/// <summary>
/// The metric vocabulary: the key of every per-answer learning-dynamics metric and the single table of their
/// descriptors, used by the metrics, the results, the CLI tables and the charts.
/// </summary>
public static class LdMetricKeys
{
    /// <summary>Σ log p(y_t).</summary>
    public const string OutToken = "out_token";
    /// <summary>Σ log max_v p_v.</summary>
    public const string OutArgmax = "out_argmax";
    /// <summary>Σ log(1 − max_v p_v).</summary>
    public const string OutExceptArgmax = "out_except_argmax";
    /// <summary>sqrt(V·(mean‖p‖)² + V − 2).</summary>
    public const string ANorm = "A_norm";
    /// <summary>mean ‖p − e_y‖₂.</summary>
    public const string ProbGap2Mean = "prob_gap2_mean";
    /// <summary>mean (1 − p(y)).</summary>
    public const string ProbEnergy = "prob_energy";
    /// <summary>Share of scored positions whose argmax is the label.</summary>
    public const string ArgmaxMatchRate = "argmax_match_rate";
    /// <summary>Number of scored positions.</summary>
    public const string ValidTokens = "valid_tokens";

    // Domains: log-probabilities are ≤ 0; ‖p − e_y‖₂ is at most √2 (all mass on one wrong token).
    private static readonly MetricDomain NonPositive = new(double.NegativeInfinity, 0);
    private static readonly MetricDomain NonNegative = new(0, double.PositiveInfinity);

    /// <summary>Every metric, in results order.</summary>
    public static IReadOnlyList<LdMetricDescriptor> Descriptors { get; } =
    [
        new(OutToken, "Σ_t log p_t(y_t): log-probability of the scored tokens (÷ M with averageLogProb)", true, true) { Domain = NonPositive },
        new(OutArgmax, "Σ_t log max_v p_t,v: log-probability of the argmax tokens", true, true) { Domain = NonPositive },
        new(OutExceptArgmax, "Σ_t log(1 − max_v p_t,v): log of the mass outside the argmax", false, false) { Domain = NonPositive },
        new(ANorm, "sqrt(V·(mean_t ‖p_t‖₂)² + V − 2): Frobenius norm of I − 1pᵀ; grows as distributions sharpen", null, true) { Domain = NonNegative },
        new(ProbGap2Mean, "mean_t ‖p_t − e_{y_t}‖₂: distance of the distribution from the one-hot label", false, true) { Domain = new(0, Math.Sqrt(2)) },
        new(ProbEnergy, "mean_t (1 − p_t(y_t)): probability mass not on the scored token", false, true) { Domain = new(0, 1) },
        new(ArgmaxMatchRate, "share of scored positions whose argmax is the label", true, false) { Domain = new(0, 1) },
        new(ValidTokens, "M, the number of scored positions", null, false) { Domain = NonNegative },
    ];

    /// <summary>Every metric key, in results order.</summary>
    public static IReadOnlyList<string> All { get; } = Descriptors.Select(d => d.Key).ToArray();

    /// <summary>The five metrics the Python tool charts, in its panel order (out_token, out_argmax, A_norm,
    /// prob_gap2_mean, prob_energy).</summary>
    public static IReadOnlyList<string> Charted { get; } = Descriptors.Where(d => d.Charted).Select(d => d.Key).ToArray();

    /// <summary>The descriptor of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">Not a metric key.</exception>
    public static LdMetricDescriptor Describe(string key) =>
        Descriptors.FirstOrDefault(d => d.Key == key)
        ?? throw new ArgumentException($"Unknown learning-dynamics metric '{key}'; known: {string.Join(", ", All)}", nameof(key));
}
