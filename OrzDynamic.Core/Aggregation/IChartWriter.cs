namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Draws the evaluator's charts. Core computes results and never draws; an application that wants charts passes an
/// implementation (OrzDynamic.Plotting's <c>PngChartWriter</c>) to the <c>Evaluator</c> and to
/// <c>Evaluator.SaveTrends</c>.
/// </summary>
public interface IChartWriter
{
    /// <summary>Draws the per-stratum comparison chart of one dataset of one checkpoint into
    /// <paramref name="outputDirectory"/>; returns the written path.</summary>
    string SaveComparison(DatasetComparison comparison, string outputDirectory, CancellationToken cancellationToken = default);

    /// <summary>Draws the multi-checkpoint trend chart of one dataset into <paramref name="outputDirectory"/>; returns
    /// the written path.</summary>
    string SaveTrends(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default);

    /// <summary>
    /// Draws the pass@k chart of one dataset (k on a log axis, one line per checkpoint) into
    /// <paramref name="outputDirectory"/> when <paramref name="trend"/> has pass@k values (several answers per prompt);
    /// returns the written path, or null when nothing was drawn. The default draws nothing.
    /// </summary>
    string? SavePassAtK(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default) => null;
}
