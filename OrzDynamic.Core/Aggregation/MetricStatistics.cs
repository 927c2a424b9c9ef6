namespace OrzDynamic.Core.Aggregation;

/// <summary>Computes the <see cref="MetricStats"/> (mean, sample std, count) the results and charts share.</summary>
internal static class MetricStatistics
{
    /// <summary>
    /// Mean, sample standard deviation (n − 1; 0 for one value) and count; NaN mean/std when empty. Computed in one pass
    /// by <see cref="RunningMoments"/>, the same code the streaming aggregation uses.
    /// </summary>
    public static MetricStats Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var moments = new RunningMoments();
        foreach (var v in values) moments.Add(v);
        return moments.ToStats();
    }
}
