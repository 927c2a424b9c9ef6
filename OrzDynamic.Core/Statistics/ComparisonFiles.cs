using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrzDynamic.Core.Statistics;

/// <summary>Writes <c>comparisons.csv</c> and <c>comparisons.json</c> (each via a temp file and an atomic rename).</summary>
public static class ComparisonFiles
{
    /// <summary>CSV file name.</summary>
    public const string Csv = "comparisons.csv";

    /// <summary>JSON file name.</summary>
    public const string Json = "comparisons.json";

    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "dataset", "kind", "from_checkpoint", "from_iteration", "to_checkpoint", "to_iteration", "metric", "stratum",
        "test", "method", "n_from", "n_to", "unpaired", "mean_from", "mean_to", "effect_name", "effect",
        "mean_diff", "mean_diff_ci_low", "mean_diff_ci_high", "statistic", "df", "p", "p_adjusted", "significant", "direction",
        "paired_t", "paired_t_p", "not_testable",
    ];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes both files into <paramref name="outputDir"/>; returns their paths (CSV first).</summary>
    public static IReadOnlyList<string> Write(ComparisonReport report, string outputDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(outputDir);
        var csv = Path.Combine(outputDir, Csv);
        var json = Path.Combine(outputDir, Json);
        WriteAtomically(csv, ToCsv(report));
        WriteAtomically(json, ToJson(report));
        return [csv, json];
    }

    /// <summary>The CSV text (invariant culture, empty cells for "not available").</summary>
    public static string ToCsv(ComparisonReport report)
    {
        var sb = new StringBuilder().AppendLine(string.Join(',', CsvColumns));
        foreach (var r in report.Rows)
        {
            var t = r.Test;
            var md = r.MeanDifference;
            string[] cells =
            [
                r.Dataset, r.Kind == ComparisonKind.Previous ? "previous" : "first", r.FromCheckpoint, I(r.FromIteration),
                r.ToCheckpoint, I(r.ToIteration), r.Metric, r.Stratum, t.Test, t.Method, I(r.NFrom), I(r.NTo), I(r.Unpaired),
                D(r.MeanFrom), D(r.MeanTo), t.EffectName, D(t.Effect), D(md?.Estimate), D(md?.Low), D(md?.High),
                D(t.Statistic), D(t.DegreesOfFreedom), D(t.PValue), D(r.AdjustedP), r.Significant ? "true" : "false", r.Direction,
                r.PairedT is null ? "" : D(r.PairedT.Statistic), D(r.PairedT?.PValue), t.NotTestableReason ?? "",
            ];
            sb.AppendLine(string.Join(',', cells.Select(Quote)));
        }
        return sb.ToString();
    }

    /// <summary>The JSON text: level, alpha, legend and the rows.</summary>
    public static string ToJson(ComparisonReport report) => JsonSerializer.Serialize(new
    {
        confidence_level = report.ConfidenceLevel,
        alpha = report.Alpha,
        multiple_testing = "Holm–Bonferroni within each dataset × comparison",
        legend = report.Legend,
        rows = report.Rows,
    }, JsonOptions);

    private static void WriteAtomically(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
