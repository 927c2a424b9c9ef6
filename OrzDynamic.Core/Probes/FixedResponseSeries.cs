using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Probes;

/// <summary>One line of a fixed-response trend chart: a stratum mean or a single item.</summary>
/// <param name="Name">Legend text: "all", "correct", "incorrect", a group, or an item's label.</param>
/// <param name="IsItem">True for a single item's line (drawn thin), false for a mean over items.</param>
/// <param name="Count">Items behind the series (1 for an item line).</param>
/// <param name="Metrics">Metric → value per iteration.</param>
public sealed record FixedResponseSeries(string Name, bool IsItem, int Count, IReadOnlyDictionary<string, TrendSeries> Metrics);
