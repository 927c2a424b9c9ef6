namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Combines the results of several checkpoints into trends: dataset → stratum → metric → (iterations, values),
/// sorted by iteration, plus accuracy per dataset. The iteration of a checkpoint is the last <c>iter(\d+)</c> in its
/// key (usually the checkpoint path), else <see cref="EvalResults.Iteration"/>, else its position in the order given.
/// </summary>
internal static class MultiCheckpointAggregator
{
    /// <summary>
    /// Aggregates <paramref name="resultsByCheckpoint"/> (checkpoint path or label → results), with std and confidence
    /// bands (Student-t for metric means, Wilson for accuracy) at <paramref name="confidenceLevel"/> (default: the
    /// level of the first results). Significance markers are added by
    /// <see cref="Statistics.TrendSignificance.Apply(TrendData, Statistics.ComparisonReport)"/> from <see cref="Statistics.MultiCheckpointComparison.Compare"/>.
    /// </summary>
    /// <exception cref="PlotDataException">Two checkpoints map to the same iteration for a dataset.</exception>
    public static TrendData Aggregate(IReadOnlyDictionary<string, EvalResults> resultsByCheckpoint, double? confidenceLevel = null)
    {
        ArgumentNullException.ThrowIfNull(resultsByCheckpoint);
        double level = confidenceLevel ?? resultsByCheckpoint.Values.FirstOrDefault()?.ConfidenceLevel ?? Statistics.ConfidenceLevels.Default;
        var builder = new TrendDataBuilder { ConfidenceLevel = level };
        int order = 0;
        foreach (var (key, results) in resultsByCheckpoint) Add(builder, key, results, order++);
        return builder.Build();
    }

    /// <summary>
    /// Adds one checkpoint to <paramref name="builder"/> as <see cref="Aggregate"/> does (so that results can be fed one
    /// at a time, without keeping them all): <paramref name="order"/> is its position in the order given.
    /// </summary>
    /// <exception cref="PlotDataException">Its iteration was already added for a dataset.</exception>
    public static void Add(TrendDataBuilder builder, string key, EvalResults results, int order)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(results);
        int iteration = IterationParser.TryParse(key, out var it) ? it : results.Iteration ?? order;
        foreach (var ds in results.Datasets.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
            builder.Add(iteration, ChartDataMapper.ToComparison(ds, results.Checkpoint), ds.Accuracy, Statistics.ResultIntervals.Accuracy(ds, builder.ConfidenceLevel),
                ds.MultiSample);
    }
}
