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
    /// Stratum → metric → the mean over the stratum's answers with a cluster-robust spread: <see cref="MetricStats.Count"/>
    /// is the number of prompts with answers in the stratum and <see cref="MetricStats.Std"/> is chosen so that
    /// Std/√Count is the cluster-robust (CR1) standard error of the mean, Σ_j (S_j − ȳ·n_j)² · G/(G − 1) / N² over the
    /// G prompts (n_j answers summing to S_j, N answers in all). The Student-t interval with G − 1 degrees of freedom
    /// built from it is the stratum's interval with the prompt as the unit.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricStats>> StratumClustered { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, MetricStats>>();
}
