namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// A chart made of several OxyPlot panels plus layout (title, legend, footer). Produced by the pure builders
/// (<see cref="ComparisonChartBuilder"/>, <see cref="TrendsChartBuilder"/>) and rendered by
/// <see cref="Rendering.ChartRenderer"/>.
/// </summary>
/// <param name="Layout">Grid and header/footer texts.</param>
/// <param name="Panels">The panels in row-major order; at most <see cref="ChartLayout.Cells"/>.</param>
/// <param name="PreferredWidth">Recommended image width in pixels.</param>
/// <param name="PreferredHeight">Recommended image height in pixels.</param>
public sealed record ChartComposition(
    ChartLayout Layout,
    IReadOnlyList<PlotModel> Panels,
    int PreferredWidth,
    int PreferredHeight);
