using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Plotting.Rendering;

namespace OrzDynamic.Plotting.Export;

/// <summary>
/// Writes the evaluator's chart files into one output directory: comparison charts, trends charts and
/// <c>trends.csv</c>, each under one stable name (<see cref="OutputLayout"/>), replaced atomically on every rerun, so
/// charts never pile up; timestamped charts of earlier versions for the same chart are removed. <see cref="Timestamp"/>
/// records when the exporter was made (from the injected <see cref="TimeProvider"/>); it is not part of any file name.
/// </summary>
public sealed class LdChartExporter
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LdChartExporter"/> class.</summary>
    /// <param name="outputDirectory">Directory receiving the files (created on first write).</param>
    /// <param name="timeProvider">Clock of the run time; <c>null</c> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger; <c>null</c> for none.</param>
    public LdChartExporter(string outputDirectory, TimeProvider? timeProvider = null, ILogger<LdChartExporter>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        OutputDirectory = Path.GetFullPath(outputDirectory);
        Timestamp = (timeProvider ?? TimeProvider.System).GetLocalNow().DateTime;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the absolute output directory.</summary>
    public string OutputDirectory { get; }

    /// <summary>Gets the time of the run (local time at construction).</summary>
    public DateTime Timestamp { get; }

    /// <summary>Gets the band drawn around trend lines (default ± std, as the Python tool).</summary>
    public TrendErrorBars TrendErrorBars { get; init; } = TrendErrorBars.Std;

    /// <summary>Renders and saves <c>ld_comparison_&lt;dataset&gt;.png</c> (replacing an earlier one).</summary>
    /// <param name="comparison">The dataset's per-stratum aggregates.</param>
    /// <param name="width">Image width; <c>null</c> for the chart's preferred width.</param>
    /// <param name="height">Image height; <c>null</c> for the chart's preferred height.</param>
    /// <returns>The absolute path of the written file.</returns>
    /// <exception cref="PlotDataException">The comparison is invalid.</exception>
    public string SaveComparison(DatasetComparison comparison, int? width = null, int? height = null)
    {
        var chart = ComparisonChartBuilder.Build(comparison);
        var path = Path.Combine(OutputDirectory, OutputLayout.ComparisonChart(comparison.Dataset));
        ChartRenderer.SavePng(chart, path, width, height);
        RemoveLegacy(path);
        _logger.LogInformation("Wrote comparison chart of {Dataset} to {Path}", comparison.Dataset, path);
        return path;
    }

    /// <summary>Renders and saves <c>ld_trends_&lt;dataset&gt;.png</c> (replacing an earlier one).</summary>
    /// <param name="trend">The dataset's trends.</param>
    /// <param name="width">Image width; <c>null</c> for the chart's preferred width.</param>
    /// <param name="height">Image height; <c>null</c> for the chart's preferred height.</param>
    /// <returns>The absolute path of the written file.</returns>
    /// <exception cref="PlotDataException">The trend data is invalid.</exception>
    public string SaveTrends(DatasetTrend trend, int? width = null, int? height = null)
    {
        var chart = TrendsChartBuilder.Build(trend, errorBars: TrendErrorBars);
        var path = Path.Combine(OutputDirectory, OutputLayout.TrendsChart(trend.Dataset));
        ChartRenderer.SavePng(chart, path, width, height);
        RemoveLegacy(path);
        _logger.LogInformation("Wrote trends chart of {Dataset} to {Path}", trend.Dataset, path);
        return path;
    }

    /// <summary>
    /// Renders and saves <c>ld_pass_at_k_&lt;dataset&gt;.png</c> (replacing an earlier one) when the trends have pass@k
    /// values; returns its absolute path, or null when there is nothing to draw.
    /// </summary>
    /// <param name="trend">The dataset's trends.</param>
    public string? SavePassAtK(DatasetTrend trend)
    {
        if (PassAtKChartBuilder.Build(trend) is not { } chart) return null;
        var path = Path.Combine(OutputDirectory, OutputLayout.PassAtKChart(trend.Dataset));
        ChartRenderer.SavePng(chart, path);
        _logger.LogInformation("Wrote pass@k chart of {Dataset} to {Path}", trend.Dataset, path);
        return path;
    }

    /// <summary>Writes <c>trends.csv</c> and one trends chart per dataset (and its pass@k chart with several answers per prompt).</summary>
    /// <param name="data">Trends of all datasets.</param>
    /// <param name="progress">Receives each written path; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The written paths, CSV first.</returns>
    /// <exception cref="PlotDataException">The trend data is invalid.</exception>
    public IReadOnlyList<string> SaveTrends(TrendData data, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var written = Evaluator.SaveTrends(data, OutputDirectory, new TrendCharts(this), cancellationToken: cancellationToken);
        foreach (var path in written) progress?.Report(path);
        return written;
    }

    /// <summary>This exporter's trend charts, for <see cref="Evaluator.SaveTrends"/>.</summary>
    private sealed class TrendCharts(LdChartExporter exporter) : IChartWriter
    {
        public string SaveComparison(DatasetComparison comparison, string outputDirectory, CancellationToken cancellationToken = default) =>
            exporter.SaveComparison(comparison);

        public string SaveTrends(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default) => exporter.SaveTrends(trend);

        public string? SavePassAtK(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default) => exporter.SavePassAtK(trend);
    }

    private void RemoveLegacy(string path)
    {
        var stable = Path.GetFileName(path);
        foreach (var old in Directory.EnumerateFiles(OutputDirectory, Path.GetFileNameWithoutExtension(stable) + "_*.png"))
        {
            if (!LegacyChartNames.IsLegacyTimestamped(Path.GetFileName(old), stable)) continue;
            try
            {
                File.Delete(old);
                _logger.LogInformation("Removed {Old}, replaced by {Path}", old, path);
            }
            catch (IOException ex)
            {
                _logger.LogWarning("Could not remove the old chart {Old}: {Reason}", old, ex.Message);
            }
        }
    }
}
