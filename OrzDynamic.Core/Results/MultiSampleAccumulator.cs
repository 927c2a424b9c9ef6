using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Results;

/// <summary>
/// Collects the answers of a dataset evaluated with K answers per prompt, grouped by prompt, and computes its
/// <see cref="MultiSampleResult"/>: avg@K, pass@k (<see cref="PassAtK"/>), maj@K (<see cref="MajorityVote"/> with the
/// dataset's answer equivalence) and the within- and between-prompt variance of correctness and of each stratum's
/// metrics (<see cref="ClusteredMean.VarianceComponents"/>). Answers may arrive in any order: prompts are taken in
/// ascending index and a prompt's answers in ascending sample number, so every aggregation path gives the same bits.
/// </summary>
internal sealed class MultiSampleAccumulator
{
    private readonly record struct Answer(int Sample, bool IsCorrect, string FinalAnswer, double[]? Metrics, double[]? RandomMean);

    private static readonly string[] Names = LdMetricKeys.All.ToArray();
    private readonly SortedDictionary<int, List<Answer>> _prompts = [];
    private readonly int _samplesPerPrompt;
    private readonly Func<string, string, bool>? _equivalent;

    /// <summary>
    /// Creates an accumulator for <paramref name="samplesPerPrompt"/> answers per prompt; <paramref name="equivalent"/>
    /// decides whether two extracted answers are the same answer (maj@K is NaN without it).
    /// </summary>
    public MultiSampleAccumulator(int samplesPerPrompt, Func<string, string, bool>? equivalent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerPrompt, 2);
        _samplesPerPrompt = samplesPerPrompt;
        _equivalent = equivalent;
    }

    /// <summary>Adds answer <paramref name="sample"/> of prompt <paramref name="index"/>.</summary>
    /// <param name="index">The prompt's record index.</param>
    /// <param name="sample">The answer's sample number.</param>
    /// <param name="isCorrect">The checker's verdict.</param>
    /// <param name="finalAnswer">The extracted answer (empty: none; it does not vote).</param>
    /// <param name="validMetrics">The answer's metrics when valid, else null.</param>
    /// <param name="sampledTokens">The metrics of its random-token positions, if any.</param>
    public void Add(int index, int sample, bool isCorrect, string? finalAnswer, LdMetrics? validMetrics, IReadOnlyList<LdMetrics>? sampledTokens)
    {
        if (!_prompts.TryGetValue(index, out var answers)) _prompts[index] = answers = [];
        double[]? randomMean = null;
        if (validMetrics is not null && sampledTokens is { Count: > 0 })
            randomMean = Names.Select(n => sampledTokens.Average(m => m.Get(n))).ToArray();
        answers.Add(new Answer(sample, isCorrect, finalAnswer ?? "", validMetrics is null ? null : Names.Select(validMetrics.Get).ToArray(), randomMean));
    }

    /// <summary>The result over every prompt added (null when none was); checks equivalence under <paramref name="ct"/>.</summary>
    public MultiSampleResult? ToResult(CancellationToken ct = default)
    {
        if (_prompts.Count == 0) return null;
        var prompts = _prompts.Values.Select(a => a.OrderBy(x => x.Sample).ToArray()).ToArray();
        var correctness = prompts.Select(a => (IReadOnlyList<double>)a.Select(x => x.IsCorrect ? 1.0 : 0.0).ToArray()).ToArray();
        var pass = new Dictionary<int, MetricStats>();
        foreach (var k in PassAtK.ReportedKs(_samplesPerPrompt))
        {
            var m = new RunningMoments();
            foreach (var a in prompts)
                if (a.Length >= k) m.Add(PassAtK.Estimate(a.Length, a.Count(x => x.IsCorrect), k));
            pass[k] = m.ToStats();
        }
        var avg = new RunningMoments();
        foreach (var mean in ClusteredMean.PerPromptMeans(correctness)) avg.Add(mean);
        var (between, within) = ClusteredMean.VarianceComponents(correctness);
        var strata = StrataOf(prompts);
        return new MultiSampleResult
        {
            SamplesPerPrompt = _samplesPerPrompt,
            Prompts = prompts.Length,
            AvgAtK = avg.ToStats(),
            PassAtK = pass,
            MajAtK = Majority(prompts, ct),
            Accuracy = new VarianceComponents(within, between),
            StratumVariance = strata.ToDictionary(kv => kv.Key, kv => kv.Value.Variance),
            StratumClustered = strata.ToDictionary(kv => kv.Key, kv => kv.Value.Clustered),
        };
    }

    private static Dictionary<string, (IReadOnlyDictionary<string, VarianceComponents> Variance, IReadOnlyDictionary<string, MetricStats> Clustered)> StrataOf(
        Answer[][] prompts) => new(StringComparer.Ordinal)
    {
        [Strata.Correct] = Clustered(prompts, x => x.IsCorrect ? x.Metrics : null),
        [Strata.Incorrect] = Clustered(prompts, x => x.IsCorrect ? null : x.Metrics),
        [Strata.Random] = Clustered(prompts, x => x.RandomMean),
    };

    private MetricStats Majority(Answer[][] prompts, CancellationToken ct)
    {
        if (_equivalent is null) return MetricStats.Empty;
        var m = new RunningMoments();
        foreach (var a in prompts)
        {
            var winner = MajorityVote.Winner(a.Select(x => x.FinalAnswer).ToArray(), _equivalent, ct);
            m.Add(winner is { } w && a[w.Representative].IsCorrect ? 1.0 : 0.0);
        }
        return m.ToStats();
    }

    /// <summary>
    /// Per metric: the variance components over the prompts with at least one value in the stratum, and the mean over
    /// the answers with its cluster-robust spread (<see cref="ClusterRobust"/>).
    /// </summary>
    private static (IReadOnlyDictionary<string, VarianceComponents> Variance, IReadOnlyDictionary<string, MetricStats> Clustered) Clustered(
        Answer[][] prompts, Func<Answer, double[]?> values)
    {
        var result = new Dictionary<string, VarianceComponents>(StringComparer.Ordinal);
        var means = new Dictionary<string, MetricStats>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            var byPrompt = prompts
                .Select(a => (IReadOnlyList<double>)a.Select(values).Where(v => v is not null && double.IsFinite(v[i])).Select(v => v![i]).ToArray())
                .Where(v => v.Count > 0).ToArray();
            if (byPrompt.Length == 0)
            {
                result[Names[i]] = new VarianceComponents(double.NaN, double.NaN);
                means[Names[i]] = MetricStats.Empty;
                continue;
            }
            var (between, within) = ClusteredMean.VarianceComponents(byPrompt);
            result[Names[i]] = new VarianceComponents(within, between);
            means[Names[i]] = ClusterRobust(byPrompt);
        }
        return (result, means);
    }

    /// <summary>
    /// The mean over all values of <paramref name="byPrompt"/> with Std = √G · its CR1 cluster-robust standard error
    /// and Count = G prompts, so that mean ± t(G−1)·Std/√G is the cluster-robust interval; NaN spread for one prompt.
    /// </summary>
    internal static MetricStats ClusterRobust(IReadOnlyList<IReadOnlyList<double>> byPrompt)
    {
        int g = byPrompt.Count;
        double n = 0, sum = 0;
        foreach (var p in byPrompt)
            foreach (var v in p) { sum += v; n++; }
        if (g == 0 || n == 0) return MetricStats.Empty;
        double mean = sum / n;
        if (g < 2) return new MetricStats(mean, double.NaN, g);
        double squares = 0;
        foreach (var p in byPrompt)
        {
            double residual = 0;
            foreach (var v in p) residual += v - mean;
            squares += residual * residual;
        }
        double se = Math.Sqrt(squares * g / (g - 1)) / n;
        return new MetricStats(mean, se * Math.Sqrt(g), g);
    }
}
