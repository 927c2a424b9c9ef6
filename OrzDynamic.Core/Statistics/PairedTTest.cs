namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Paired (one-sample) t-test of the differences second − first, two-sided, with the Student-t interval of the mean
/// difference. Assumes independent pairs and a mean difference close to normal (normal differences, or many pairs);
/// sensitive to outliers, so it is reported alongside the Wilcoxon signed-rank test rather than instead of it.
/// </summary>
internal static class PairedTTest
{
    /// <summary>The test's name in reports.</summary>
    public const string Name = "paired t";

    /// <summary>Tests <paramref name="differences"/> (second − first).</summary>
    /// <exception cref="ArgumentException">A difference is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    public static HypothesisTestResult Test(IReadOnlyCollection<double> differences, double level = ConfidenceLevels.Default)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ConfidenceLevels.Validate(level);
        if (differences.Any(d => !double.IsFinite(d)))
            throw new ArgumentException("Paired differences must be finite numbers.", nameof(differences));
        const string effectName = "mean difference";
        int n = differences.Count;
        if (n == 0) return HypothesisTestResult.NotTestable(Name, 0, "no pairs", effectName);
        if (n == 1) return HypothesisTestResult.NotTestable(Name, 1, "a single pair", effectName, differences.First());
        var (mean, variance) = MathNet.Numerics.Statistics.Statistics.MeanVariance(differences);
        if (!(variance > 0))
            return HypothesisTestResult.NotTestable(Name, n,
                mean == 0 ? "all paired differences are zero" : "all paired differences are equal (no variance)", effectName, mean);
        return HypothesisTestResult.FromStudentT(Name, "Student t", n, effectName, mean, Math.Sqrt(variance / n), n - 1, level);
    }
}
