using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Combines the results of several checkpoints into trends: dataset → stratum → metric → (iterations, values),
/// sorted by iteration, plus accuracy per dataset. The iteration of a checkpoint is the last <c>iter(\d+)</c> in its
/// key (usually the checkpoint path), else <see cref="EvalResults.Iteration"/>, else its position in the order given.
/// </summary>
public static class MultiCheckpointAggregator
{
    /// <summary>Aggregates <paramref name="resultsByCheckpoint"/> (checkpoint path or label → results).</summary>
    /// <exception cref="PlotDataException">Two checkpoints map to the same iteration for a dataset.</exception>
    public static TrendData Aggregate(IReadOnlyDictionary<string, EvalResults> resultsByCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(resultsByCheckpoint);
        var builder = new TrendDataBuilder();
        int order = 0;
        foreach (var (key, results) in resultsByCheckpoint)
        {
            int iteration = IterationParser.TryParse(key, out var it) ? it : results.Iteration ?? order;
            order++;
            foreach (var ds in results.Datasets.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
                builder.Add(iteration, ChartDataMapper.ToComparison(ds, results.Checkpoint), ds.Accuracy);
        }
        return builder.Build();
    }
}
