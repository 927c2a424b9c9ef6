namespace OrzDynamic.Core.Results;

/// <summary>Aggregated learning-dynamics metrics of one stratum (correct, incorrect, random tokens, custom).</summary>
public sealed record StratumResult
{
    /// <summary>Number of scored items in the stratum.</summary>
    public int Count { get; init; }

    /// <summary>Summary per metric name (see <see cref="LdMetricKeys"/>).</summary>
    public IReadOnlyDictionary<string, MetricStats> Metrics { get; init; } = new Dictionary<string, MetricStats>();

    /// <summary>Aggregates metric records into a stratum (in the given order, through <see cref="StratumAccumulator"/>).</summary>
    public static StratumResult Of(IEnumerable<LdMetrics> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var acc = new StratumAccumulator();
        foreach (var m in items) acc.Add(m);
        return acc.ToResult();
    }
}
