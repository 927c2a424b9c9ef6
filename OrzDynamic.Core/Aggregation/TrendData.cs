namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Trends of all evaluated datasets across checkpoints (dataset → stratum → metric → series, plus accuracy).
/// Build it directly or with <see cref="TrendDataBuilder"/> from per-checkpoint <see cref="DatasetComparison"/>s.
/// </summary>
/// <param name="Datasets">One entry per dataset, in output order; dataset names must be unique.</param>
public sealed record TrendData(IReadOnlyList<DatasetTrend> Datasets)
{
    /// <summary>Gets the trend of <paramref name="dataset"/>, or <c>null</c> when absent.</summary>
    /// <param name="dataset">The dataset name (ordinal comparison).</param>
    /// <returns>The trend or <c>null</c>.</returns>
    public DatasetTrend? Get(string dataset) =>
        Datasets.FirstOrDefault(d => string.Equals(d.Dataset, dataset, StringComparison.Ordinal));
}
