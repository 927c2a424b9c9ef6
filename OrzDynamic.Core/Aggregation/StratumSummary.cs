namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// The metric aggregates of one stratum of one dataset.
/// </summary>
/// <param name="AnswerCount">Number of answers in the stratum (shown in the chart footer). Must not be negative.</param>
/// <param name="Metrics">Metric name (see <see cref="LdMetricKeys"/>) → aggregate. Missing metrics are shown as "n/a".</param>
public sealed record StratumSummary(int AnswerCount, IReadOnlyDictionary<string, MetricStats> Metrics)
{
    /// <summary>Gets the aggregate of <paramref name="metric"/>, or <see cref="MetricStats.Empty"/> when absent.</summary>
    /// <param name="metric">The metric name.</param>
    /// <returns>The aggregate.</returns>
    public MetricStats Get(string metric) =>
        Metrics.TryGetValue(metric, out var stats) ? stats : MetricStats.Empty;
}
