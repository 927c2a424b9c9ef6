namespace OrzDynamic.Plotting.Charts;

/// <summary>OxyPlot styling of a <see cref="Stratum"/>: its colour and its trend-line marker.</summary>
public static class StratumStyle
{
    /// <summary>Gets the line-marker shape of the stratum in trend charts (circle, square, diamond), so that
    /// coinciding points of different strata stay distinguishable.</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The marker type.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Stratum"/>.</exception>
    public static MarkerType Marker(this Stratum stratum) => stratum switch
    {
        Stratum.Correct => MarkerType.Circle,
        Stratum.Incorrect => MarkerType.Square,
        Stratum.Random => MarkerType.Diamond,
        _ => throw new ArgumentOutOfRangeException(nameof(stratum), stratum, "Unknown stratum."),
    };

    /// <summary>Gets the chart colour of the stratum as an <see cref="OxyColor"/>.</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The colour (see <see cref="Strata.HexColor"/>).</returns>
    public static OxyColor Color(this Stratum stratum) => OxyColor.Parse(stratum.HexColor());
}
