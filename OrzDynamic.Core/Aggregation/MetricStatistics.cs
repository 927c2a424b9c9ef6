using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Aggregation;

/// <summary>Computes the <see cref="MetricStats"/> (mean, sample std, count) the results and charts share.</summary>
public static class MetricStatistics
{
    /// <summary>Mean, sample standard deviation (n − 1; 0 for one value) and count; NaN mean/std when empty.</summary>
    public static MetricStats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return MetricStats.Empty;
        double mean = values.Average();
        double std = values.Count == 1 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MetricStats(mean, std, values.Count);
    }
}
