using System.Globalization;
using System.Text;

namespace OrzDynamic.Plotting.Export;

/// <summary>
/// File names of the evaluator's outputs: <c>ld_comparison_&lt;dataset&gt;.png</c>, <c>ld_trends_&lt;dataset&gt;.png</c>
/// and <c>trends.csv</c>. One stable name per chart: a rerun replaces the chart instead of adding another file. Earlier
/// versions put a <c>_&lt;yyyyMMdd_HHmmss&gt;</c> timestamp into the name; <see cref="IsLegacyTimestamped"/> recognises
/// those files so the exporter can remove them.
/// </summary>
public static class ChartFileNames
{
    /// <summary>The timestamp format of earlier versions' chart names.</summary>
    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    /// <summary>Name of the trends CSV file.</summary>
    public const string TrendsCsv = OrzDynamic.Core.Evaluation.OutputFiles.TrendsCsv;

    /// <summary>Gets the comparison chart file name.</summary>
    /// <param name="dataset">Dataset name (sanitised with <see cref="SanitizeDataset"/>).</param>
    /// <returns>E.g. <c>ld_comparison_gsm8k.png</c>.</returns>
    public static string Comparison(string dataset) => $"ld_comparison_{SanitizeDataset(dataset)}.png";

    /// <summary>Gets the trends chart file name.</summary>
    /// <param name="dataset">Dataset name (sanitised with <see cref="SanitizeDataset"/>).</param>
    /// <returns>E.g. <c>ld_trends_gsm8k.png</c>.</returns>
    public static string Trends(string dataset) => $"ld_trends_{SanitizeDataset(dataset)}.png";

    /// <summary>
    /// Whether <paramref name="fileName"/> is a timestamped chart of an earlier version for the chart named
    /// <paramref name="stableName"/> (e.g. <c>ld_trends_gsm8k_20250101_120000.png</c> for <c>ld_trends_gsm8k.png</c>).
    /// </summary>
    /// <param name="fileName">A file name (no directory).</param>
    /// <param name="stableName">The stable chart name from <see cref="Comparison"/> or <see cref="Trends"/>.</param>
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

    /// <summary>
    /// Makes a dataset name safe for a file name on every OS: letters, digits, '-', '_' and '.' are kept, anything
    /// else (path separators, spaces, ':' …) becomes '_'.
    /// </summary>
    /// <param name="dataset">The dataset name.</param>
    /// <returns>The safe name.</returns>
    /// <exception cref="ArgumentException">The name is empty or whitespace.</exception>
    public static string SanitizeDataset(string dataset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataset);
        var builder = new StringBuilder(dataset.Length);
        foreach (var c in dataset.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var result = builder.ToString().Trim('.');
        return result.Length == 0 ? "_" : result;
    }
}
