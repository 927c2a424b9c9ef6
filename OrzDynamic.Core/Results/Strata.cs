using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Results;

/// <summary>
/// The names of the strata answers are aggregated and compared in, one vocabulary for results keys
/// (<c>ld_correct/…</c>), comparison rows, probe trends and charts, and the presentation of the chart enum
/// <see cref="Stratum"/> (the same three): display name, key and colour.
/// </summary>
public static class Strata
{
    /// <summary>The three strata of an evaluated dataset, in chart order.</summary>
    public static IReadOnlyList<string> Ordered { get; } = [Correct, Incorrect, Random];

    /// <summary>Answers the checker accepted.</summary>
    public const string Correct = "correct";

    /// <summary>Answers the checker rejected.</summary>
    public const string Incorrect = "incorrect";

    /// <summary>Single response positions chosen at random (the random-token control).</summary>
    public const string Random = "random";

    /// <summary>Every answer (or every item of a probe source or custom sentence file).</summary>
    public const string All = "all";

    /// <summary>The three strata as <see cref="Stratum"/> values, in chart order (Correct, Incorrect, Random).</summary>
    public static IReadOnlyList<Stratum> Values { get; } = [Stratum.Correct, Stratum.Incorrect, Stratum.Random];

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
        Stratum.Correct => Correct,
        Stratum.Incorrect => Incorrect,
        Stratum.Random => Random,
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
