namespace OrzDynamic.Plotting.Export;

/// <summary>
/// Charts of earlier versions, which put a <c>_&lt;yyyyMMdd_HHmmss&gt;</c> timestamp into the chart name (today every
/// chart has one stable name, <see cref="OutputLayout"/>): <see cref="IsLegacyTimestamped"/> recognises those files so
/// the exporter can remove them.
/// </summary>
public static class LegacyChartNames
{
    /// <summary>The timestamp format of earlier versions' chart names.</summary>
    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    /// <summary>
    /// Whether <paramref name="fileName"/> is a timestamped chart of an earlier version for the chart named
    /// <paramref name="stableName"/> (e.g. <c>ld_trends_gsm8k_20250101_120000.png</c> for <c>ld_trends_gsm8k.png</c>).
    /// </summary>
    /// <param name="fileName">A file name (no directory).</param>
    /// <param name="stableName">The stable chart name (<see cref="OutputLayout.ComparisonChart"/>, <see cref="OutputLayout.TrendsChart"/>).</param>
    /// <returns>True for a legacy file of that chart.</returns>
    public static bool IsLegacyTimestamped(string fileName, string stableName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(stableName);
        var stem = Path.GetFileNameWithoutExtension(stableName) + "_";
        if (!fileName.StartsWith(stem, StringComparison.Ordinal) || !fileName.EndsWith(".png", StringComparison.Ordinal)) return false;
        var stamp = fileName[stem.Length..^4];
        return DateTime.TryParseExact(stamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>Formats <paramref name="timestamp"/> as <see cref="TimestampFormat"/> (invariant culture).</summary>
    /// <param name="timestamp">The timestamp.</param>
    /// <returns>E.g. <c>20250101_120000</c>.</returns>
    public static string FormatTimestamp(DateTime timestamp) =>
        timestamp.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
