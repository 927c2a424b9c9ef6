namespace OrzDynamic.Core.Statistics;

/// <summary>
/// What the trend markers take from the comparisons: the threshold and the (dataset, later iteration, metric, stratum)
/// of every significant change against the previous checkpoint. A few entries per checkpoint × dataset × metric,
/// instead of every comparison row.
/// </summary>
/// <param name="Alpha">Significance threshold on the Holm-adjusted p-values.</param>
/// <param name="SignificantPrevious">The significant changes against the previous checkpoint.</param>
internal sealed record ComparisonMarks(double Alpha, IReadOnlySet<(string Dataset, int ToIteration, string Metric, string Stratum)> SignificantPrevious)
{
    /// <summary>The marks of a whole report.</summary>
    public static ComparisonMarks From(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Alpha, report.Rows.Where(r => r.Kind == ComparisonKind.Previous && r.Significant)
            .Select(r => (r.Dataset, r.ToIteration, r.Metric, r.Stratum)).ToHashSet());
    }
}
