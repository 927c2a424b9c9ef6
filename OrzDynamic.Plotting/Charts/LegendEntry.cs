namespace OrzDynamic.Plotting.Charts;

/// <summary>One entry of the shared legend drawn above a composed chart: a colour square, or — when
/// <see cref="LineStyle"/> or <see cref="Marker"/> is set — a short sample of the line as the panels draw it.</summary>
/// <param name="Label">The label, e.g. "Random tokens".</param>
/// <param name="Color">The swatch colour.</param>
public sealed record LegendEntry(string Label, OxyColor Color)
{
    /// <summary>Gets the dash style of the line sample; <see cref="OxyPlot.LineStyle.None"/> (the default) together with
    /// no <see cref="Marker"/> draws a colour square instead.</summary>
    public LineStyle LineStyle { get; init; } = LineStyle.None;

    /// <summary>Gets the stroke width of the line sample in pixels.</summary>
    public double LineThickness { get; init; } = 2;

    /// <summary>Gets the marker drawn in the middle of the line sample (<see cref="MarkerType.None"/> for none).</summary>
    public MarkerType Marker { get; init; } = MarkerType.None;

    /// <summary>Gets the OxyPlot size of <see cref="Marker"/>.</summary>
    public double MarkerSize { get; init; } = 5;

    /// <summary>Gets a value indicating whether the entry is drawn as a line sample rather than a colour square.</summary>
    public bool IsLineSample => LineStyle != LineStyle.None || Marker != MarkerType.None;
}
