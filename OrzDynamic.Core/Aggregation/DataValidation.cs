namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Input checks shared by chart builders and writers; each failure is a <see cref="PlotDataException"/> naming
/// dataset, record and field.
/// </summary>
internal static class DataValidation
{
    public static void Validate(DatasetComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var dataset = RequireHeader(comparison.Dataset, "comparison", comparison.Strata, nameof(DatasetComparison.Strata));

        foreach (var (stratum, summary) in comparison.Strata)
        {
            var record = $"stratum {stratum}";
            if (!Enum.IsDefined(stratum))
            {
                throw new PlotDataException(dataset, record, nameof(DatasetComparison.Strata), "unknown stratum value");
            }

            if (summary is null || summary.Metrics is null)
            {
                throw new PlotDataException(dataset, record, nameof(StratumSummary.Metrics), "is null");
            }

            if (summary.AnswerCount < 0)
            {
                throw new PlotDataException(dataset, record, nameof(StratumSummary.AnswerCount),
                    $"{summary.AnswerCount} is negative");
            }

            foreach (var (metric, stats) in summary.Metrics)
            {
                var metricRecord = $"{record}, metric '{metric}'";
                if (string.IsNullOrWhiteSpace(metric))
                {
                    throw new PlotDataException(dataset, metricRecord, "metric name", "is empty");
                }

                if (stats.Count < 0)
                {
                    throw new PlotDataException(dataset, metricRecord, nameof(MetricStats.Count), $"{stats.Count} is negative");
                }

                if (stats.Std < 0)
                {
                    throw new PlotDataException(dataset, metricRecord, nameof(MetricStats.Std), $"{stats.Std} is negative");
                }
            }
        }
    }

    public static void Validate(DatasetTrend trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var dataset = RequireHeader(trend.Dataset, "trend", trend.Metrics, nameof(DatasetTrend.Metrics));

        foreach (var (stratum, byMetric) in trend.Metrics)
        {
            if (!Enum.IsDefined(stratum))
            {
                throw new PlotDataException(dataset, $"stratum {stratum}", nameof(DatasetTrend.Metrics), "unknown stratum value");
            }

            if (byMetric is null)
            {
                throw new PlotDataException(dataset, $"stratum {stratum}", nameof(DatasetTrend.Metrics), "is null");
            }

            foreach (var (metric, series) in byMetric)
            {
                Validate(dataset, $"stratum {stratum}, metric '{metric}'", series);
            }
        }

        if (trend.Accuracy is { } accuracy)
        {
            Validate(dataset, "accuracy", accuracy);
            for (var i = 0; i < accuracy.Values.Count; i++)
            {
                var v = accuracy.Values[i];
                if (double.IsFinite(v) && (v < 0 || v > 1))
                {
                    throw new PlotDataException(dataset, $"accuracy at iteration {accuracy.Iterations[i]}",
                        nameof(TrendSeries.Values), $"{v} is outside [0, 1] (give a fraction, not a percentage)");
                }
            }
        }
    }

    private static void Validate(string dataset, string record, TrendSeries? series)
    {
        if (series is null || series.Iterations is null || series.Values is null)
        {
            throw new PlotDataException(dataset, record, "series", "is null");
        }

        if (series.Iterations.Count != series.Values.Count)
        {
            throw new PlotDataException(dataset, record, nameof(TrendSeries.Values),
                $"{series.Values.Count} values for {series.Iterations.Count} iterations");
        }

        foreach (var (name, count) in new[]
                 {
                     (nameof(TrendSeries.Std), series.Std?.Count), (nameof(TrendSeries.CiLow), series.CiLow?.Count),
                     (nameof(TrendSeries.CiHigh), series.CiHigh?.Count), (nameof(TrendSeries.SignificantChange), series.SignificantChange?.Count),
                 })
        {
            if (count is { } c && c != series.Iterations.Count)
            {
                throw new PlotDataException(dataset, record, name, $"{c} entries for {series.Iterations.Count} iterations");
            }
        }

        for (var i = 1; i < series.Iterations.Count; i++)
        {
            if (series.Iterations[i] <= series.Iterations[i - 1])
            {
                throw new PlotDataException(dataset, record, nameof(TrendSeries.Iterations),
                    $"not strictly increasing at index {i} ({series.Iterations[i - 1]} then {series.Iterations[i]})");
            }
        }
    }

    /// <summary>
    /// The dataset name of a <paramref name="record"/> (a comparison or trend), checked to be non-empty, with its
    /// <paramref name="values"/> (the field <paramref name="valuesField"/>) checked to be present.
    /// </summary>
    private static string RequireHeader(string? datasetName, string record, object? values, string valuesField)
    {
        var dataset = datasetName ?? string.Empty;
        if (string.IsNullOrWhiteSpace(dataset))
        {
            throw new PlotDataException(dataset, record, "Dataset", "the dataset name is empty");
        }

        if (values is null)
        {
            throw new PlotDataException(dataset, record, valuesField, "is null");
        }

        return dataset;
    }
}
