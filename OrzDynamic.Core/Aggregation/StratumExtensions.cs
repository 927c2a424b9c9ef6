namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Presentation attributes of <see cref="Stratum"/>: human-readable name, stable CSV key and chart colour (hex).
/// </summary>
public static class StratumExtensions
{
    /// <summary>All strata in their canonical plotting order (Correct, Incorrect, Random).</summary>
    public static IReadOnlyList<Stratum> All { get; } = [Stratum.Correct, Stratum.Incorrect, Stratum.Random];

    /// <summary>Gets the label shown in legends and axes ("Correct", "Incorrect", "Random tokens").</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The display name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Stratum"/>.</exception>
    public static string DisplayName(this Stratum stratum) => stratum switch
    {
        Stratum.Correct => "Correct",
        Stratum.Incorrect => "Incorrect",
        Stratum.Random => "Random tokens",
        _ => throw new ArgumentOutOfRangeException(nameof(stratum), stratum, "Unknown stratum."),
    };

    /// <summary>Gets the stable lower-case key used in CSV output ("correct", "incorrect", "random").</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Stratum"/>.</exception>
    public static string Key(this Stratum stratum) => stratum switch
    {
        Stratum.Correct => Results.Strata.Correct,
        Stratum.Incorrect => Results.Strata.Incorrect,
        Stratum.Random => Results.Strata.Random,
        _ => throw new ArgumentOutOfRangeException(nameof(stratum), stratum, "Unknown stratum."),
    };

    /// <summary>Gets the chart colour as a hex string, from the colour-blind-safe Okabe–Ito palette: Correct #009e73
    /// (bluish green), Incorrect #d55e00 (vermillion), Random tokens #0072b2 (blue).</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The colour in <c>#rrggbb</c> form.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Stratum"/>.</exception>
    public static string HexColor(this Stratum stratum) => stratum switch
    {
        Stratum.Correct => "#009e73",
        Stratum.Incorrect => "#d55e00",
        Stratum.Random => "#0072b2",
        _ => throw new ArgumentOutOfRangeException(nameof(stratum), stratum, "Unknown stratum."),
    };
}
