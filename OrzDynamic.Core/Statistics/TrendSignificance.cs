using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Marks the trend segments whose change is significant in a <see cref="ComparisonReport"/> (comparisons with the
/// previous checkpoint): accuracy from the McNemar row, the correct / incorrect metric lines from their Welch rows. The
/// random-token stratum is not tested and gets no markers.
/// </summary>
internal static class TrendSignificance
{
    /// <summary>The trends with <see cref="TrendSeries.SignificantChange"/> and <see cref="DatasetTrend.SignificanceNote"/> set.</summary>
    public static TrendData Apply(TrendData trends, ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Apply(trends, ComparisonMarks.From(report));
    }

    /// <summary>The trends marked from <paramref name="marks"/> (e.g. <see cref="ComparisonFileWriter.Marks"/> of a streamed report).</summary>
    public static TrendData Apply(TrendData trends, ComparisonMarks marks)
    {
        ArgumentNullException.ThrowIfNull(trends);
        ArgumentNullException.ThrowIfNull(marks);
        var significant = marks.SignificantPrevious;
        var note = Note(marks.Alpha);
        return new TrendData(trends.Datasets.Select(trend =>
        {
            TrendSeries Mark(TrendSeries series, string metric, string stratum) => series with
            {
                SignificantChange = series.Iterations
                    .Select((it, i) => i > 0 && significant.Contains((trend.Dataset, it, metric, stratum)))
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
                Accuracy = trend.Accuracy is { } acc ? Mark(acc, ComparisonRow.AccuracyMetric, Strata.All) : null,
                SignificanceNote = note,
            };
        }).ToArray());
    }

    /// <summary>The legend line of the markers.</summary>
    public static string Note(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Note(report.Alpha);
    }

    /// <summary>The legend line of the markers for threshold <paramref name="alpha"/>.</summary>
    public static string Note(double alpha) => string.Create(CultureInfo.InvariantCulture,
        $"Stars: change vs previous checkpoint with Holm-adjusted p < {alpha:0.###} (accuracy: exact McNemar, paired; correct/incorrect: Welch t)");
}
