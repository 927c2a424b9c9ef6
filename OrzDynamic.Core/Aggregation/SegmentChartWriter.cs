namespace OrzDynamic.Core.Aggregation;

/// <summary>Draws trend charts for one response segment (<see cref="ChartDataMapper.ForSegment"/>) through another chart writer.</summary>
internal sealed class SegmentChartWriter(IChartWriter inner, string segment) : IChartWriter
{
    /// <inheritdoc />
    public string SaveComparison(DatasetComparison comparison, string outputDirectory, CancellationToken cancellationToken = default) =>
        inner.SaveComparison(comparison, outputDirectory, cancellationToken);

    /// <inheritdoc />
    public string SaveTrends(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default) =>
        inner.SaveTrends(ChartDataMapper.ForSegment(trend, segment), outputDirectory, cancellationToken);

    /// <inheritdoc />
    public string? SavePassAtK(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default) =>
        inner.SavePassAtK(trend, outputDirectory, cancellationToken);
}
