using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Plotting.Charts;

namespace OrzDynamic.Plotting.Export;

/// <summary>
/// The OxyPlot/SkiaSharp implementation of <see cref="IChartWriter"/>: PNG comparison and trend charts named by
/// <see cref="OutputLayout"/>. Pass it to the evaluator (<c>new Evaluator(config) { ChartWriter = new PngChartWriter() }</c>).
/// </summary>
public sealed class PngChartWriter : IChartWriter
{
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Initializes a new instance of the <see cref="PngChartWriter"/> class.</summary>
    /// <param name="timeProvider">Clock of the run time the exporter logs; <c>null</c> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logger factory; <c>null</c> for none.</param>
    public PngChartWriter(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Gets the band drawn around trend lines: ± std (default) or the confidence interval.</summary>
    public TrendErrorBars TrendErrorBars { get; init; } = TrendErrorBars.Std;

    /// <inheritdoc />
    public string SaveComparison(DatasetComparison comparison, string outputDirectory, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Exporter(outputDirectory).SaveComparison(comparison);
    }

    /// <inheritdoc />
    public string SaveTrends(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Exporter(outputDirectory).SaveTrends(trend);
    }

    /// <inheritdoc />
    public string? SavePassAtK(DatasetTrend trend, string outputDirectory, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Exporter(outputDirectory).SavePassAtK(trend);
    }

    private LdChartExporter Exporter(string outputDirectory) =>
        new(outputDirectory, _timeProvider, _loggerFactory.CreateLogger<LdChartExporter>()) { TrendErrorBars = TrendErrorBars };
}
