using System.Globalization;
using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Marks the trend segments whose change is significant in a <see cref="ComparisonReport"/> (comparisons with the
/// previous checkpoint): accuracy from the McNemar row, the correct / incorrect metric lines from their Welch rows. The
/// random-token stratum is not tested and gets no markers.
/// </summary>
public static class TrendSignificance
{
    /// <summary>The trends with <see cref="TrendSeries.SignificantChange"/> and <see cref="DatasetTrend.SignificanceNote"/> set.</summary>
    public static TrendData Apply(TrendData trends, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(trends);
        ArgumentNullException.ThrowIfNull(report);
        var significant = report.Rows
            .Where(r => r.Kind == ComparisonKind.Previous)
            .ToDictionary(r => (r.Dataset, r.ToIteration, r.Metric, r.Stratum), r => r.Significant);
        return new TrendData(trends.Datasets.Select(trend =>
        {
            TrendSeries Mark(TrendSeries series, string metric, string stratum) => series with
            {
                SignificantChange = series.Iterations
                    .Select((it, i) => i > 0 && significant.GetValueOrDefault((trend.Dataset, it, metric, stratum)))
                    .ToArray(),
            };
            var metrics = trend.Metrics.ToDictionary(
                kv => kv.Key,
                kv => kv.Key == Stratum.Random
                    ? kv.Value
                    : (IReadOnlyDictionary<string, TrendSeries>)kv.Value.ToDictionary(m => m.Key, m => Mark(m.Value, m.Key, kv.Key.Key())));
            return trend with
            {
                Metrics = metrics,
                Accuracy = trend.Accuracy is { } acc ? Mark(acc, ComparisonStrata.Accuracy, ComparisonStrata.All) : null,
                SignificanceNote = Note(report),
            };
        }).ToArray());
    }

    /// <summary>The legend line of the markers.</summary>
    public static string Note(ComparisonReport report) => string.Create(CultureInfo.InvariantCulture,
        $"Stars: change vs previous checkpoint with Holm-adjusted p < {report.Alpha:0.###} (accuracy: exact McNemar, paired; correct/incorrect: Welch t)");
}
