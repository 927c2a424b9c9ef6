
namespace OrzDynamic.Core.Results;

/// <summary>
/// One-pass mean and sample standard deviation of a stream of values, in constant memory. The mean is the plain
/// sequential sum divided by the count (the same bits as <c>values.Average()</c>); the spread uses Welford's update of
/// the sum of squared deviations, which stays accurate without a second pass. Both depend on the order of the values,
/// so every aggregation path (single process, resume, sharded merge) feeds them in the same canonical order
/// (per dataset, ascending sample index).
/// </summary>
internal struct RunningMoments
{
    private double _sum;
    private double _welfordMean;
    private double _m2;

    /// <summary>Number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        Count++;
        _sum += value;
        double delta = value - _welfordMean;
        _welfordMean += delta / Count;
        _m2 += delta * (value - _welfordMean);
    }

    /// <summary>Mean, sample standard deviation (n − 1; 0 for one value) and count; NaN mean/std when empty.</summary>
    public readonly MetricStats ToStats()
    {
        if (Count == 0) return MetricStats.Empty;
        double std = Count == 1 ? 0 : Math.Sqrt(Math.Max(0, _m2) / (Count - 1));
        return new MetricStats(_sum / Count, std, Count);
    }
}
