namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// How several lines of one panel stay visible where they coincide: they are drawn nested. The first series is drawn
/// first, widest and with the largest markers; every later series is narrower and has smaller markers, so a series
/// lying exactly on an earlier one leaves that one showing as a rim on both sides of its line and around its markers.
/// </summary>
internal static class SeriesNesting
{
    /// <summary>Stroke width in pixels: of the top (last drawn) series, and the extra per series below (a rim of half the step on each side).</summary>
    private static readonly (double Top, double Step) Stroke = (1.8, 1.6);

    /// <summary>Outer marker radius in pixels: of the top series' markers, and the extra per series below.</summary>
    private static readonly (double Top, double Step) Marker = (3.6, 1.7);

    /// <summary>The text the legend shows to explain the nesting.</summary>
    /// <param name="first">Name of the widest series (drawn underneath).</param>
    /// <param name="last">Name of the narrowest series (drawn on top).</param>
    /// <returns>The note.</returns>
    public static string LegendNote(string first, string last) =>
        $"Coinciding lines are drawn nested, not hidden: {first} widest and underneath, {last} narrowest on top";

    /// <summary>Line width of the <paramref name="index"/>-th of <paramref name="count"/> series (0 = drawn first).</summary>
    /// <param name="index">Drawing position.</param>
    /// <param name="count">Number of nested series in the panel.</param>
    /// <returns>The stroke thickness in pixels.</returns>
    public static double Thickness(int index, int count) => Stroke.Top + (Stroke.Step * Depth(index, count));

    /// <summary>Outer radius of the markers of the <paramref name="index"/>-th of <paramref name="count"/> series.</summary>
    /// <param name="index">Drawing position.</param>
    /// <param name="count">Number of nested series in the panel.</param>
    /// <returns>The largest distance of the marker outline from the point, in pixels.</returns>
    public static double MarkerExtent(int index, int count) => Marker.Top + (Marker.Step * Depth(index, count));

    /// <summary>The OxyPlot <c>MarkerSize</c> that gives <paramref name="marker"/> the outer radius
    /// <paramref name="extent"/> (OxyPlot sizes a circle by its radius, a square by half its side, a diamond or
    /// triangle by 1/√(4/3) of its tip distance).</summary>
    /// <param name="marker">The marker shape.</param>
    /// <param name="extent">The outer radius in pixels.</param>
    /// <returns>The marker size.</returns>
    public static double MarkerSize(MarkerType marker, double extent) => extent / ExtentPerSize(marker);

    /// <summary>Outer radius of a marker of OxyPlot size <paramref name="size"/> (inverse of <see cref="MarkerSize"/>).</summary>
    /// <param name="marker">The marker shape.</param>
    /// <param name="size">The OxyPlot marker size.</param>
    /// <returns>The outer radius in pixels.</returns>
    public static double Extent(MarkerType marker, double size) => size * ExtentPerSize(marker);

    private static double ExtentPerSize(MarkerType marker) => marker switch
    {
        MarkerType.Square => Math.Sqrt(2),
        MarkerType.Diamond or MarkerType.Triangle => Math.Sqrt(4.0 / 3.0),
        _ => 1,
    };

    private static int Depth(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        return count - 1 - index;
    }
}
