using OrzDynamic.Core.Results;
using OrzDynamic.Core.Probes;
using OxyPlot;

namespace OrzDynamic.Plotting.Charts;

/// <summary>Colours and markers of fixed-response series: strata and well-known groups keep fixed colours.</summary>
internal static class FixedResponseStyle
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.Parse("#1f77b4"), OxyColor.Parse("#ff7f0e"), OxyColor.Parse("#9467bd"), OxyColor.Parse("#8c564b"),
        OxyColor.Parse("#e377c2"), OxyColor.Parse("#17becf"), OxyColor.Parse("#bcbd22"), OxyColor.Parse("#7f7f7f"),
    ];

    private static readonly MarkerType[] Markers = [MarkerType.Circle, MarkerType.Square, MarkerType.Diamond, MarkerType.Triangle];

    /// <summary>Colour of <paramref name="series"/>, the <paramref name="index"/>-th of its kind.</summary>
    public static OxyColor Color(FixedResponseSeries series, int index) => series.IsItem
        ? Palette[index % Palette.Length]
        : series.Name.ToLowerInvariant() switch
        {
            Strata.All => OxyColor.Parse("#34495e"),
            Strata.Correct or "chosen" => OxyColor.Parse("#2ecc71"),
            Strata.Incorrect or "rejected" => OxyColor.Parse("#e74c3c"),
            "rephrase" or "rephrased" => OxyColor.Parse("#f39c12"),
            "unrelated" or "random" => OxyColor.Parse("#3498db"),
            _ => Palette[index % Palette.Length],
        };

    /// <summary>Marker of the <paramref name="index"/>-th mean series.</summary>
    public static MarkerType Marker(int index) => Markers[index % Markers.Length];

    /// <summary>Legend text of a series (mean series with their item count).</summary>
    public static string Legend(FixedResponseSeries series)
    {
        var name = series.Name.Length > 28 ? series.Name[..27] + "…" : series.Name;
        return series.IsItem ? name : $"{name} (mean of {series.Count})";
    }
}
