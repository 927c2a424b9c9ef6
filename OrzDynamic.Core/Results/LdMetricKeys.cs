namespace OrzDynamic.Core.Results;

/// <summary>Names of the per-answer learning-dynamics metrics as they appear in results keys and JSONL.</summary>
public static class LdMetricKeys
{
    /// <summary>Σ log p(y_t).</summary>
    public const string OutToken = Plotting.Data.LdMetricNames.OutToken;
    /// <summary>Σ log max_v p_v.</summary>
    public const string OutArgmax = Plotting.Data.LdMetricNames.OutArgmax;
    /// <summary>Σ log(1 − max_v p_v).</summary>
    public const string OutExceptArgmax = "out_except_argmax";
    /// <summary>sqrt(V·(mean‖p‖)² + V − 2).</summary>
    public const string ANorm = Plotting.Data.LdMetricNames.ANorm;
    /// <summary>mean ‖p − e_y‖₂.</summary>
    public const string ProbGap2Mean = Plotting.Data.LdMetricNames.ProbGap2Mean;
    /// <summary>mean (1 − p(y)).</summary>
    public const string ProbEnergy = Plotting.Data.LdMetricNames.ProbEnergy;
    /// <summary>Share of valid positions whose argmax equals the label.</summary>
    public const string ArgmaxMatchRate = "argmax_match_rate";
    /// <summary>Number of scored positions.</summary>
    public const string ValidTokens = "valid_tokens";

    /// <summary>The five metrics the Python tool charts, in its order.</summary>
    public static IReadOnlyList<string> Charted => Plotting.Data.LdMetricNames.All;

    /// <summary>Every metric aggregated per stratum.</summary>
    public static IReadOnlyList<string> All { get; } =
        [OutToken, OutArgmax, OutExceptArgmax, ANorm, ProbGap2Mean, ProbEnergy, ArgmaxMatchRate, ValidTokens];
}
