namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Exact (conditional) McNemar test for paired binary outcomes, e.g. "correct at checkpoint A" vs "correct at
/// checkpoint B" on the same prompts. Only the discordant pairs carry information: under H0 (equal accuracy) the
/// number b of pairs correct only at A is Binomial(b + c, ½) given the b + c discordant pairs. Two-sided p =
/// min(1, 2·P(X ≤ min(b, c))). Exact for any sample size; conservative (the mid-p variant would be less so).
/// Assumes the pairs are independent of each other; it says nothing about answers that are correct at both.
/// </summary>
internal static class McNemarExactTest
{
    /// <summary>The test's name in reports.</summary>
    public const string Name = HypothesisTestResult.McNemarExact;

    /// <summary>Tests from the two discordant counts.</summary>
    /// <param name="onlyFirst">Pairs positive (correct) only in the first condition (b).</param>
    /// <param name="onlySecond">Pairs positive only in the second condition (c).</param>
    /// <param name="totalPairs">All pairs, concordant included (for the effect, the accuracy difference (c − b)/n); 0 = b + c.</param>
    /// <param name="level">Level of the interval of the accuracy difference.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative counts or fewer total pairs than discordant ones.</exception>
    public static HypothesisTestResult Test(int onlyFirst, int onlySecond, int totalPairs = 0, double level = ConfidenceLevels.Default)
    {
        if (onlyFirst < 0) throw new ArgumentOutOfRangeException(nameof(onlyFirst), onlyFirst, "Counts must not be negative.");
        if (onlySecond < 0) throw new ArgumentOutOfRangeException(nameof(onlySecond), onlySecond, "Counts must not be negative.");
        int discordant = onlyFirst + onlySecond;
        if (totalPairs == 0) totalPairs = discordant;
        if (totalPairs < discordant)
            throw new ArgumentOutOfRangeException(nameof(totalPairs), totalPairs, $"Fewer pairs than discordant pairs ({discordant}).");
        ConfidenceLevels.Validate(level);
        const string effectName = "accuracy difference";
        double? effect = totalPairs == 0 ? null : (double)(onlySecond - onlyFirst) / totalPairs;
        if (discordant == 0)
            return HypothesisTestResult.NotTestable(Name, totalPairs,
                totalPairs == 0 ? "no pairs" : "no discordant pairs (both checkpoints agree on every prompt)", effectName, effect);
        int k = Math.Min(onlyFirst, onlySecond);
        double p = 2 * MathNet.Numerics.Distributions.Binomial.CDF(0.5, discordant, k);
        return new HypothesisTestResult
        {
            Test = Name,
            Method = "exact binomial on discordant pairs",
            N = totalPairs,
            Statistic = k,
            PValue = HypothesisTestResult.ClampP(p),
            EffectName = effectName,
            Effect = effect,
            EffectInterval = PairedProportionDifferenceInterval(onlyFirst, onlySecond, totalPairs, level),
        };
    }

    /// <summary>
    /// Wald interval of the paired accuracy difference (c − b)/n with variance ((b + c) − (c − b)²/n)/n²
    /// (Agresti, Categorical Data Analysis, §10.1); clamped to [−1, 1].
    /// </summary>
    private static ConfidenceInterval PairedProportionDifferenceInterval(int b, int c, int n, double level)
    {
        double d = (double)(c - b) / n;
        double variance = Math.Max(0, (b + c) - (double)(c - b) * (c - b) / n) / ((double)n * n);
        double half = ConfidenceLevels.NormalQuantile(level) * Math.Sqrt(variance);
        return new ConfidenceInterval(d, Math.Max(-1, d - half), Math.Min(1, d + half), level, n);
    }
}
