namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Writes <see cref="TrendData"/> as long-format CSV (<c>trends.csv</c>) with the header
/// <c>dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change</c>: one row per dataset, stratum
/// (<see cref="Strata.Key"/>), metric and iteration, in invariant culture with round-trip precision.
/// Accuracy rows use stratum <c>all</c> (<see cref="Strata.All"/>) and metric <c>accuracy</c> (fraction in [0, 1]); with
/// several answers per prompt rows of stratum <c>all</c> and metrics <c>avg@K</c>, <c>pass@k</c>, <c>maj@K</c> follow
/// (bands over prompts). A missing value is written as <c>NaN</c>; std, interval bounds
/// (<see cref="DatasetTrend.ConfidenceLevel"/>) and the significance flag of the change from the previous checkpoint
/// are left empty where unknown or not tested.
/// </summary>
internal static class TrendsCsvWriter
{
    /// <summary>The header line.</summary>
    public const string Header = "dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change";

    /// <summary>Metric column value of accuracy rows.</summary>
    public const string AccuracyMetric = "accuracy";

    /// <summary>
    /// Writes the CSV to <paramref name="path"/> (UTF-8 without BOM, '\n' line ends; directories are created) through a
    /// temporary file and a rename, so a crash never leaves a torn file.
    /// </summary>
    /// <param name="data">The trends.</param>
    /// <param name="path">Output file path.</param>
    /// <param name="cancellationToken">Cancels between datasets.</param>
    /// <returns>The number of data rows written.</returns>
    /// <exception cref="PlotDataException">A series is invalid.</exception>
    public static int Write(TrendData data, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        int rows = 0;
        Results.AtomicFile.Write(full, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
            rows = Write(data, writer, cancellationToken);
        });
        return rows;
    }

    /// <summary>Writes the CSV to <paramref name="writer"/>.</summary>
    /// <param name="data">The trends.</param>
    /// <param name="writer">The destination (left open).</param>
    /// <param name="cancellationToken">Cancels between datasets.</param>
    /// <returns>The number of data rows written.</returns>
    /// <exception cref="PlotDataException">A series is invalid.</exception>
    public static int Write(TrendData data, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data.Datasets);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trend in data.Datasets)
        {
            DataValidation.Validate(trend);
            if (!seen.Add(trend.Dataset))
            {
                throw new PlotDataException(trend.Dataset, "trend data", nameof(DatasetTrend.Dataset), "dataset appears twice");
            }
        }

        writer.NewLine = "\n";
        writer.WriteLine(Header);
        var rows = 0;
        foreach (var trend in data.Datasets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metricOrder = LdMetricKeys.Charted
                .Concat(trend.Metrics.Values.SelectMany(m => m.Keys))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            foreach (var stratum in Strata.Values.Where(trend.Metrics.ContainsKey))
            {
                var byMetric = trend.Metrics[stratum];
                foreach (var metric in metricOrder.Where(byMetric.ContainsKey))
                {
                    rows += WriteSeries(writer, trend.Dataset, stratum.Key(), metric, byMetric[metric]);
                }
            }

            if (trend.Accuracy is { } accuracy)
            {
                rows += WriteSeries(writer, trend.Dataset, Strata.All, AccuracyMetric, accuracy);
            }

            foreach (var (metric, series) in trend.SampleMetrics)
            {
                rows += WriteSeries(writer, trend.Dataset, Strata.All, metric, series);
            }
        }

        writer.Flush();
        return rows;
    }

    private static int WriteSeries(TextWriter writer, string dataset, string stratum, string metric, TrendSeries series)
    {
        for (var i = 0; i < series.Iterations.Count; i++)
        {
            writer.Write(Escape(dataset));
            writer.Write(',');
            writer.Write(stratum);
            writer.Write(',');
            writer.Write(Escape(metric));
            writer.Write(',');
            writer.Write(series.Iterations[i].ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(series.Values[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Optional(series.Std, i));
            writer.Write(',');
            writer.Write(Optional(series.CiLow, i));
            writer.Write(',');
            writer.Write(Optional(series.CiHigh, i));
            writer.Write(',');
            writer.WriteLine(series.SignificantChange is { } sig && i > 0 ? (sig[i] ? "true" : "false") : string.Empty);
        }

        return series.Iterations.Count;
    }

    private static string Optional(IReadOnlyList<double>? values, int i) =>
        values is { } v && double.IsFinite(v[i]) ? v[i].ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>RFC 4180 quoting: fields containing ',', '"', CR or LF are quoted with doubled quotes.</summary>
    internal static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
