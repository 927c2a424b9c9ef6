using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Tells a number with thousands separators (<c>7,425,000</c>, <c>1,000.5</c>) from a list of numbers (<c>32, 349</c>):
/// one to three leading digits, then groups of exactly three digits each after a comma with no space.
/// </summary>
internal static partial class ThousandsGrouping
{
    [GeneratedRegex(@"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Grouped();

    /// <summary>True when <paramref name="text"/> is exactly a number written with thousands separators.</summary>
    public static bool IsGrouped(string text) => Grouped().IsMatch(text);
}
