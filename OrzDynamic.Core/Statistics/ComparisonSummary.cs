namespace OrzDynamic.Core.Statistics;

/// <summary>What a table of the significant changes needs from the comparison files: the settings, the counts and the significant rows.</summary>
/// <param name="ConfidenceLevel">Level of the effect intervals.</param>
/// <param name="Alpha">Significance threshold on the Holm-adjusted p-values.</param>
/// <param name="Rows">Rows written.</param>
/// <param name="Testable">Rows with a test result.</param>
/// <param name="Significant">The significant rows, in report order (dataset, later checkpoint, kind, metric, stratum).</param>
public sealed record ComparisonSummary(double ConfidenceLevel, double Alpha, long Rows, long Testable, IReadOnlyList<ComparisonRow> Significant);
