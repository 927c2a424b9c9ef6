namespace OrzDynamic.Core.Statistics;

/// <summary>All comparison rows of a multi-checkpoint run and the settings that produced them.</summary>
public sealed record ComparisonReport
{
    /// <summary>Level of the effect intervals.</summary>
    public double ConfidenceLevel { get; init; } = ConfidenceLevels.Default;

    /// <summary>Significance threshold on the Holm-adjusted p-values.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Every row, ordered by dataset, later checkpoint, kind, metric, stratum.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; init; } = [];

    /// <summary>The rows whose change is significant (adjusted p &lt; alpha).</summary>
    public IEnumerable<ComparisonRow> Significant => Rows.Where(r => r.Significant);

    /// <summary>One line naming the tests and the threshold, for chart legends and table captions.</summary>
    public string Legend => TrendSignificance.Note(this);

    /// <summary>The row of one change, or null.</summary>
    public ComparisonRow? Find(string dataset, int toIteration, ComparisonKind kind, string metric, string stratum) =>
        Rows.FirstOrDefault(r => r.Dataset == dataset && r.ToIteration == toIteration && r.Kind == kind && r.Metric == metric && r.Stratum == stratum);
}
