namespace OrzDynamic.Benchmarks;

/// <summary>The median the benchmarks report: the middle value, or the mean of the two middle values for an even count.</summary>
internal static class SampleMedian
{
    /// <summary>The median of <paramref name="values"/> (at least one).</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
