using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
        return Save(() => FixedResponseChartBuilder.Build(trend), outputDirectory, OutputLayout.FixedResponseChart(trend.Key),
            "fixed-response trend chart", trend.Key, cancellationToken);
    }

    /// <summary>Renders and saves a per-token heatmap into <paramref name="outputDirectory"/>; returns its path.</summary>
    public string SaveHeatmap(TokenHeatmap heatmap, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        return Save(() => TokenHeatmapChartBuilder.Build(heatmap), outputDirectory, OutputLayout.HeatmapChart(heatmap.Key),
            "token heatmap", heatmap.Key, cancellationToken);
    }

    private string Save(Func<ChartComposition> build, string outputDirectory, string fileName, string what, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.GetFullPath(Path.Combine(outputDirectory, fileName));
        ChartRenderer.SavePng(build(), path);
        _logger.LogInformation("Wrote {What} of {Key} to {Path}", what, key, path);
        return path;
    }
}
