using OrzDynamic.Core.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Probes;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Rendering;

namespace OrzDynamic.Plotting.Export;

/// <summary>
/// Writes the charts of fixed responses (custom sentences, answer probes) under stable names, replaced on a rerun:
/// trend charts <c>ld_fixed_&lt;key&gt;.png</c> and per-token heatmaps <c>ld_heatmap_&lt;key&gt;.png</c>.
/// </summary>
public sealed class FixedResponseChartWriter : IFixedResponseChartWriter
{
    private readonly ILogger _logger;

    /// <summary>Creates a writer.</summary>
    /// <param name="logger">Logger; <c>null</c> for none.</param>
    public FixedResponseChartWriter(ILogger<FixedResponseChartWriter>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Renders and saves a trend chart into <paramref name="outputDirectory"/>; returns its path.</summary>
    public string SaveTrend(FixedResponseTrend trend, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trend);
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.GetFullPath(Path.Combine(outputDirectory, OutputLayout.FixedResponseChart(trend.Key)));
        ChartRenderer.SavePng(FixedResponseChartBuilder.Build(trend), path);
        _logger.LogInformation("Wrote fixed-response trend chart of {Key} to {Path}", trend.Key, path);
        return path;
    }

    /// <summary>Renders and saves a per-token heatmap into <paramref name="outputDirectory"/>; returns its path.</summary>
    public string SaveHeatmap(TokenHeatmap heatmap, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.GetFullPath(Path.Combine(outputDirectory, OutputLayout.HeatmapChart(heatmap.Key)));
        ChartRenderer.SavePng(TokenHeatmapChartBuilder.Build(heatmap), path);
        _logger.LogInformation("Wrote token heatmap of {Key} to {Path}", heatmap.Key, path);
        return path;
    }
}
