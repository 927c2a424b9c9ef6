namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// How panels are composed into one image: a <see cref="Rows"/> × <see cref="Columns"/> grid (row-major), a header
/// with <see cref="Title"/>, <see cref="Subtitle"/> and a shared <see cref="Legend"/>, and a <see cref="Footer"/> line.
/// </summary>
/// <param name="Rows">Number of grid rows (≥ 1).</param>
/// <param name="Columns">Number of grid columns (≥ 1).</param>
/// <param name="Title">Main title (bold, top centre).</param>
/// <param name="Subtitle">Optional second header line.</param>
/// <param name="Legend">Optional shared legend, drawn centred under the title.</param>
/// <param name="Footer">Optional footer line (e.g. the answer counts).</param>
public sealed record ChartLayout(
    int Rows,
    int Columns,
    string Title,
    string? Subtitle = null,
    IReadOnlyList<LegendEntry>? Legend = null,
    string? Footer = null)
{
    /// <summary>Gets an optional note drawn in muted text under the legend: how coinciding series are drawn, or which
    /// items the chart leaves out.</summary>
    public string? LegendNote { get; init; }

    /// <summary>Gets the number of grid cells.</summary>
    public int Cells => Rows * Columns;
}
