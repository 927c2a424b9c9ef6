namespace OrzDynamic.Core.Probes;

/// <summary>Draws the charts of fixed texts scored at every checkpoint (e.g. OrzDynamic.Plotting's <c>FixedResponseChartWriter</c>).</summary>
public interface IFixedResponseChartWriter
{
    /// <summary>Saves the trend chart of one probe source or custom sentence file; returns its path.</summary>
    string SaveTrend(FixedResponseTrend trend, string outputDirectory, CancellationToken cancellationToken = default);

    /// <summary>Saves the per-token heatmap of one probed answer; returns its path.</summary>
    string SaveHeatmap(TokenHeatmap heatmap, string outputDirectory, CancellationToken cancellationToken = default);
}
