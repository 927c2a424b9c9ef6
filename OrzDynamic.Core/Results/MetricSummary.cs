namespace OrzDynamic.Core.Results;

/// <summary>Mean, sample standard deviation and count of one metric over a stratum.</summary>
/// <param name="Mean">Arithmetic mean (NaN when <paramref name="Count"/> is 0).</param>
/// <param name="Std">Sample standard deviation (n − 1; 0 for a single value, NaN when empty).</param>
/// <param name="Count">Number of values.</param>
public sealed record MetricSummary(double Mean, double Std, int Count)
{
    /// <summary>Summarises <paramref name="values"/>.</summary>
    public static MetricSummary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new MetricSummary(double.NaN, double.NaN, 0);
        double mean = values.Average();
        double std = values.Count == 1 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricSummary(mean, std, values.Count);
    }
}
