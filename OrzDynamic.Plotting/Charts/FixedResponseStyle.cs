namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Looks of the series of a fixed-response chart, all from the Okabe–Ito palette (<see cref="ChartPalette"/>).
/// Mean series: strata and well-known groups keep fixed hues (all black, correct/chosen bluish green,
/// incorrect/rejected vermillion, rephrase orange, unrelated/random blue), solid lines with markers, nested
/// (<see cref="SeriesNesting"/>). Single-item lines: thin, dashed, no markers, in the hues no mean series uses, each
/// with its own dash pattern (nine patterns), so no two item lines look alike and two coinciding ones show through
/// each other's gaps.
/// </summary>
internal static class FixedResponseStyle
{
    /// <summary>Stroke width of a single-item line.</summary>
    public const double ItemThickness = 1.6;

    private static readonly MarkerType[] Markers = [MarkerType.Circle, MarkerType.Square, MarkerType.Diamond, MarkerType.Triangle];

    private static readonly LineStyle[] ItemDashes =
    [
        LineStyle.Dash, LineStyle.Dot, LineStyle.DashDot, LineStyle.LongDash, LineStyle.DashDotDot, LineStyle.LongDashDot,
        LineStyle.DashDashDot, LineStyle.LongDashDotDot, LineStyle.DashDashDotDot,
    ];

    /// <summary>The look of every series of <paramref name="series"/>, in the same order.</summary>
    public static IReadOnlyList<SeriesLook> Assign(IReadOnlyList<FixedResponseSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var means = series.Where(s => !s.IsItem).ToList();
        var meanColours = new List<OxyColor>();
        foreach (var mean in means)
        {
            var colour = KnownColour(mean.Name)
                ?? ChartPalette.All.FirstOrDefault(c => !meanColours.Contains(c) && !IsKnown(c), ChartPalette.Black);
            meanColours.Add(colour);
        }

        // Yellow last: it is the palette's weakest hue against white for thin lines.
        // The hues of all / correct / incorrect stay reserved even when the chart lacks that mean.
        var free = ChartPalette.All.Where(c => !meanColours.Contains(c) && !IsStratum(c)).OrderBy(c => c == ChartPalette.Yellow ? 1 : 0).ToList();
        if (free.Count == 0)
        {
            free = [.. ChartPalette.All];
        }

        var looks = new List<SeriesLook>(series.Count);
        int meanIndex = 0, itemIndex = 0;
        foreach (var s in series)
        {
            if (s.IsItem)
            {
                var colour = free[itemIndex % free.Count];
                var dash = ItemDashes[itemIndex % ItemDashes.Length];
                looks.Add(new SeriesLook(colour, dash, ItemThickness, MarkerType.None, 0));
                itemIndex++;
            }
            else
            {
                var marker = Markers[meanIndex % Markers.Length];
                var size = SeriesNesting.MarkerSize(marker, SeriesNesting.MarkerExtent(meanIndex, means.Count));
                looks.Add(new SeriesLook(meanColours[meanIndex], LineStyle.Solid, SeriesNesting.Thickness(meanIndex, means.Count), marker, size));
                meanIndex++;
            }
        }

        return looks;
    }

    /// <summary>Legend text of a series (mean series with their item count).</summary>
    public static string Legend(FixedResponseSeries series)
    {
        var name = series.Name.Length > 28 ? series.Name[..27] + "…" : series.Name;
        return series.IsItem ? name : $"{name} (mean of {series.Count})";
    }

    private static OxyColor? KnownColour(string name) => name.ToLowerInvariant() switch
    {
        Strata.All => ChartPalette.Black,
        Strata.Correct or "chosen" => ChartPalette.BluishGreen,
        Strata.Incorrect or "rejected" => ChartPalette.Vermillion,
        "rephrase" or "rephrased" => ChartPalette.Orange,
        "unrelated" or "random" => ChartPalette.Blue,
        _ => null,
    };

    private static bool IsStratum(OxyColor c) => c == ChartPalette.Black || c == ChartPalette.BluishGreen || c == ChartPalette.Vermillion;

    private static bool IsKnown(OxyColor c) =>
        c == ChartPalette.Black || c == ChartPalette.BluishGreen || c == ChartPalette.Vermillion || c == ChartPalette.Orange || c == ChartPalette.Blue;
}

/// <summary>How one series of a fixed-response chart is drawn.</summary>
/// <param name="Color">Line and marker colour.</param>
/// <param name="LineStyle">Solid for means, a dash pattern for single items.</param>
/// <param name="Thickness">Stroke width in pixels.</param>
/// <param name="Marker">Marker shape (none for single items).</param>
/// <param name="MarkerSize">OxyPlot marker size.</param>
internal sealed record SeriesLook(OxyColor Color, LineStyle LineStyle, double Thickness, MarkerType Marker, double MarkerSize)
{
    /// <summary>The legend entry drawing this look.</summary>
    public LegendEntry LegendEntry(string label) => new(label, Color)
    {
        LineStyle = LineStyle,
        LineThickness = Thickness,
        Marker = Marker,
        MarkerSize = MarkerSize,
    };
}
