namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Metric trends of one dataset across checkpoints: the input of the trends chart.
/// </summary>
/// <param name="Dataset">Dataset name (used in the chart title, the file name and the CSV).</param>
/// <param name="Metrics">Stratum → metric name → series of per-checkpoint means.</param>
/// <param name="Accuracy">Accuracy per iteration as a fraction in [0, 1] (plotted in percent); <c>null</c> when unknown.</param>
public sealed record DatasetTrend(
    string Dataset,
    IReadOnlyDictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>> Metrics,
    TrendSeries? Accuracy = null)
{
    /// <summary>Level of the <see cref="TrendSeries.CiLow"/> / <see cref="TrendSeries.CiHigh"/> bands (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = Statistics.ConfidenceLevels.Default;

    /// <summary>
    /// What the <see cref="TrendSeries.SignificantChange"/> markers mean (test, correction, alpha) for the chart legend;
    /// null when no comparison was applied.
    /// </summary>
    public string? SignificanceNote { get; init; }

    /// <summary>
    /// With several answers per prompt: <c>avg@K</c>, <c>pass@k</c> (k = 1, 2, 4, …, K) and <c>maj@K</c> → series
    /// (bands over prompts); empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, TrendSeries> SampleMetrics { get; init; } = new Dictionary<string, TrendSeries>();

    /// <summary>
    /// Checks that the trends can be charted and written: a dataset name, known strata, every series with one value
    /// (and one band entry) per strictly increasing iteration, accuracy in [0, 1].
    /// </summary>
    /// <exception cref="PlotDataException">The first problem found, naming dataset, record and field.</exception>
    public void Validate() => DataValidation.Validate(this);

    /// <summary>Gets the series of <paramref name="metric"/> in <paramref name="stratum"/>, or <see cref="TrendSeries.Empty"/>.</summary>
    /// <param name="stratum">The stratum.</param>
    /// <param name="metric">The metric name.</param>
    /// <returns>The series.</returns>
    public TrendSeries Get(Stratum stratum, string metric) =>
        Metrics.TryGetValue(stratum, out var byMetric) && byMetric.TryGetValue(metric, out var series)
            ? series
            : TrendSeries.Empty;
}
