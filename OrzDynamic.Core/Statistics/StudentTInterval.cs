namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Student-t interval of a mean: mean ± t(1−α/2, n−1)·s/√n. Assumes independent observations whose mean is close to
/// normally distributed (the values themselves normal, or n large enough for the central limit theorem — for skewed
/// per-answer metrics think n ≥ 30).
/// </summary>
internal static class StudentTInterval
{
    /// <summary>The interval of the mean of <paramref name="values"/>; <c>null</c> for fewer than two values or non-finite ones.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    public static ConfidenceInterval? Compute(IReadOnlyCollection<double> values, double level = ConfidenceLevels.Default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ConfidenceLevels.Validate(level);
        if (values.Count < 2 || values.Any(v => !double.IsFinite(v))) return null;
        var (mean, variance) = MathNet.Numerics.Statistics.Statistics.MeanVariance(values);
        return FromSummary(mean, Math.Sqrt(variance), values.Count, level);
    }

    /// <summary>
    /// The interval from a mean, a sample standard deviation (n − 1 denominator) and a count, as stored in the results;
    /// <c>null</c> when <paramref name="count"/> &lt; 2 or the mean or std is not finite.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1) or the std is negative.</exception>
    public static ConfidenceInterval? FromSummary(double mean, double std, int count, double level = ConfidenceLevels.Default)
    {
        ConfidenceLevels.Validate(level);
        if (std < 0) throw new ArgumentOutOfRangeException(nameof(std), std, "A standard deviation must not be negative.");
        if (count < 2 || !double.IsFinite(mean) || !double.IsFinite(std)) return null;
        double half = ConfidenceLevels.StudentTQuantile(level, count - 1) * std / Math.Sqrt(count);
        return new ConfidenceInterval(mean, mean - half, mean + half, level, count);
    }
}
