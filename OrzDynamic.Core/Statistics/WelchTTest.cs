namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Welch's unpaired t-test of mean(second) − mean(first), two-sided, with Welch–Satterthwaite degrees of freedom
/// ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)) and the matching interval of the difference. Does not
/// assume equal variances. Assumes independent observations within and between the groups and means close to normal
/// (n ≳ 30 per group for skewed metrics). Used for the correct / incorrect strata, whose members differ between
/// checkpoints.
/// </summary>
internal static class WelchTTest
{
    /// <summary>The test's name in reports.</summary>
    public const string Name = HypothesisTestResult.WelchT;

    /// <summary>Tests <paramref name="first"/> against <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    public static HypothesisTestResult Test(IReadOnlyCollection<double> first, IReadOnlyCollection<double> second, double level = ConfidenceLevels.Default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ConfidenceLevels.Validate(level);
        if (first.Concat(second).Any(v => !double.IsFinite(v)))
            throw new ArgumentException("Values must be finite numbers.", first.Any(v => !double.IsFinite(v)) ? nameof(first) : nameof(second));
        const string effectName = "mean difference";
        int n1 = first.Count, n2 = second.Count, n = n1 + n2;
        double? effect = n1 > 0 && n2 > 0 ? second.Average() - first.Average() : null;
        if (n1 < 2 || n2 < 2)
            return HypothesisTestResult.NotTestable(Name, n,
                $"fewer than 2 values in a group (first {n1}, second {n2})", effectName, effect);
        var (m1, v1) = MathNet.Numerics.Statistics.Statistics.MeanVariance(first);
        var (m2, v2) = MathNet.Numerics.Statistics.Statistics.MeanVariance(second);
        double a = v1 / n1, b = v2 / n2, se2 = a + b;
        if (!(se2 > 0))
            return HypothesisTestResult.NotTestable(Name, n, "no variance in either group", effectName, m2 - m1);
        double se = Math.Sqrt(se2);
        double df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1));
        return HypothesisTestResult.FromStudentT(Name, "Welch–Satterthwaite", n, effectName, m2 - m1, se, df, level);
    }
}
