namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Wilcoxon signed-rank test of paired differences (second − first), two-sided, H0: the differences are symmetric
/// about 0. Conventions (the same as R's <c>wilcox.test(paired = TRUE)</c>):
/// <list type="bullet">
/// <item>zero differences are dropped (Wilcoxon's method) and counted;</item>
/// <item>tied |differences| get their average rank;</item>
/// <item>the p-value is <b>exact</b> (enumerated null distribution) when fewer than <see cref="ExactLimit"/> non-zero
/// differences remain and there are neither ties nor zeros; otherwise it uses the <b>normal approximation</b> with the
/// tie-corrected variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 and a continuity correction of ½.</item>
/// </list>
/// Assumes independent pairs and a difference distribution symmetric about its median; it is robust to outliers and
/// to non-normal metrics, unlike the paired t-test.
/// </summary>
internal static class WilcoxonSignedRankTest
{
    /// <summary>The test's name in reports.</summary>
    public const string Name = HypothesisTestResult.WilcoxonSignedRank;

    /// <summary>The exact distribution is used below this many non-zero differences (R uses 50).</summary>
    public const int ExactLimit = 50;

    /// <summary>Tests the paired differences <paramref name="differences"/> (second − first).</summary>
    /// <exception cref="ArgumentException">A difference is NaN or infinite.</exception>
    public static HypothesisTestResult Test(IReadOnlyCollection<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Any(d => !double.IsFinite(d)))
            throw new ArgumentException("Paired differences must be finite numbers.", nameof(differences));
        const string effectName = "median paired difference";
        double? median = differences.Count == 0 ? null : MathNet.Numerics.Statistics.Statistics.Median(differences);
        var nonZero = differences.Where(d => d != 0).ToArray();
        int zeros = differences.Count - nonZero.Length;
        if (differences.Count == 0) return HypothesisTestResult.NotTestable(Name, 0, "no pairs", effectName);
        if (nonZero.Length == 0)
            return HypothesisTestResult.NotTestable(Name, differences.Count, "all paired differences are zero", effectName, median);

        var (ranks, tieTerm) = AverageRanks(nonZero.Select(Math.Abs).ToArray());
        int n = nonZero.Length;
        double v = 0;
        for (int i = 0; i < n; i++) if (nonZero[i] > 0) v += ranks[i];

        double p;
        string method;
        if (n < ExactLimit && tieTerm == 0 && zeros == 0)
        {
            p = new SignedRankDistribution(n).TwoSidedP((int)v);
            method = "exact";
        }
        else
        {
            double mean = n * (n + 1) / 4.0;
            double variance = n * (n + 1) * (2.0 * n + 1) / 24 - tieTerm / 48;
            double dev = v - mean;
            double z = (dev - 0.5 * Math.Sign(dev)) / Math.Sqrt(variance);
            p = 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(z));
            method = string.Create(CultureInfo.InvariantCulture,
                $"normal approximation, tie- and continuity-corrected{(zeros > 0 ? $"; {zeros} zero difference(s) dropped" : "")}");
        }
        return new HypothesisTestResult
        {
            Test = Name,
            Method = method,
            N = differences.Count,
            Statistic = v,
            PValue = HypothesisTestResult.ClampP(p),
            EffectName = effectName,
            Effect = median,
        };
    }

    /// <summary>Average ranks (1-based) of <paramref name="values"/> and the tie term Σ(t³ − t) over tie groups.</summary>
    internal static (double[] Ranks, double TieTerm) AverageRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        double tieTerm = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]]) end++;
            double average = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) ranks[order[k]] = average;
            double t = end - start;
            tieTerm += t * t * t - t;
            start = end;
        }
        return (ranks, tieTerm);
    }
}
