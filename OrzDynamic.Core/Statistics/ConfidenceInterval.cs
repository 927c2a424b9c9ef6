namespace OrzDynamic.Core.Statistics;

/// <summary>
/// A two-sided confidence interval around a point estimate. Every field is a finite number; where an interval cannot
/// be formed (no data, a single value) the computing method returns <c>null</c> instead of an interval of NaNs.
/// </summary>
/// <param name="Estimate">The point estimate (a proportion, a mean, a mean difference).</param>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
/// <param name="Level">Confidence level in (0, 1), e.g. 0.95.</param>
/// <param name="N">Number of observations (or pairs) behind the estimate.</param>
public sealed record ConfidenceInterval(double Estimate, double Low, double High, double Level, int N)
{
    /// <summary>Half the width of the interval.</summary>
    public double HalfWidth => (High - Low) / 2;

    /// <summary>Whether <paramref name="value"/> lies inside the closed interval.</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Estimate:G6} [{Low:G6}, {High:G6}] ({Level:P0}, n={N})");
}
