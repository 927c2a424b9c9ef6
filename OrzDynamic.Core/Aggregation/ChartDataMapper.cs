namespace OrzDynamic.Core.Aggregation;

/// <summary>Maps typed evaluation results onto the Plotting library's input records.</summary>
internal static class ChartDataMapper
{
    /// <summary>The chart stratum of a results stratum name (<see cref="Strata"/>), or null.</summary>
    public static Stratum? ToStratum(string name) => name switch
    {
        Strata.Correct => Stratum.Correct,
        Strata.Incorrect => Stratum.Incorrect,
        Strata.Random => Stratum.Random,
        _ => null,
    };

    /// <summary>
    /// The comparison-chart input of one dataset of one checkpoint. With think segments, each stratum also holds the
    /// metrics of each segment under <see cref="SegmentMetric"/> names (<c>think/prob_energy</c>), so trends carry them.
    /// </summary>
    public static DatasetComparison ToComparison(DatasetResult dataset, string? checkpoint)
    {
        var strata = new Dictionary<Stratum, StratumSummary>();
        foreach (var (name, sr) in dataset.Strata)
        {
            if (ToStratum(name) is not { } s) continue;
            var metrics = sr.Metrics;
            if (dataset.SegmentStrata.Count > 0)
            {
                var all = new Dictionary<string, MetricStats>(sr.Metrics, StringComparer.Ordinal);
                foreach (var (segment, bySegment) in dataset.SegmentStrata)
                    if (bySegment.TryGetValue(name, out var part))
                        foreach (var (metric, stats) in part.Metrics) all[SegmentMetric(segment, metric)] = stats;
                metrics = all;
            }
            strata[s] = new StratumSummary(sr.Count, metrics);
        }
        return new DatasetComparison(dataset.Name, strata, checkpoint);
    }

    /// <summary>The trend metric name of <paramref name="metric"/> over response segment <paramref name="segment"/> (<c>think/prob_energy</c>).</summary>
    public static string SegmentMetric(string segment, string metric) => segment + "/" + metric;

    /// <summary>
    /// The trend of <paramref name="trend"/> as charted for one response segment: <see cref="ResponseSegments.All"/>
    /// keeps it; <c>think</c> or <c>answer</c> shows, under the plain metric names, that segment's series (strata
    /// without them, such as the random tokens, are left out).
    /// </summary>
    public static DatasetTrend ForSegment(DatasetTrend trend, string segment)
    {
        ArgumentNullException.ThrowIfNull(trend);
        if (segment == ResponseSegments.All) return trend;
        var prefix = SegmentMetric(segment, "");
        var metrics = new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>();
        foreach (var (stratum, byMetric) in trend.Metrics)
        {
            var picked = byMetric.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
            if (picked.Count > 0) metrics[stratum] = picked;
        }
        return trend with { Metrics = metrics };
    }
}
