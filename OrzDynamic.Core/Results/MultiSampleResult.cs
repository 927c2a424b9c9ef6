namespace OrzDynamic.Core.Results;

/// <summary>
/// The metrics of a dataset evaluated with several answers per prompt (K &gt; 1). Every statistic treats the prompt as
/// the unit: each prompt contributes one value (its accuracy over its answers, its pass@k estimate, whether its
/// majority answer is correct), and the <see cref="MetricStats"/> here are over prompts (count = prompts), so intervals
/// built from them are cluster-robust.
/// </summary>
public sealed record MultiSampleResult
{
    /// <summary>Answers per prompt (K).</summary>
    public int SamplesPerPrompt { get; init; }

    /// <summary>Prompts with answers.</summary>
    public int Prompts { get; init; }

    /// <summary>avg@K: the mean over prompts of each prompt's fraction of correct answers.</summary>
    public MetricStats AvgAtK { get; init; } = MetricStats.Empty;

    /// <summary>
    /// pass@k for k = 1, 2, 4, … and K: the mean over prompts of the unbiased estimator 1 − C(n−c, k)/C(n, k).
    /// </summary>
    public IReadOnlyDictionary<int, MetricStats> PassAtK { get; init; } = new Dictionary<int, MetricStats>();

    /// <summary>maj@K: the fraction of prompts whose majority answer (classes of equivalent answers) is correct.</summary>
    public MetricStats MajAtK { get; init; } = MetricStats.Empty;

    /// <summary>Within- and between-prompt variance of correctness (0/1 per answer).</summary>
    public VarianceComponents Accuracy { get; init; } = new(double.NaN, double.NaN);

    /// <summary>
    /// Stratum (correct, incorrect, random) → metric → within- and between-prompt variance of the answers' metric (for
    /// the random stratum, each answer's mean over its random-token positions).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, VarianceComponents>> StratumVariance { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, VarianceComponents>>();

    /// <summary>
    /// Stratum → metric → moments of the per-prompt means of the metric over the prompts with answers in the stratum
    /// (count = prompts): the cluster-robust basis of the stratum's metric intervals.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricStats>> StratumPromptMeans { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, MetricStats>>();
}
