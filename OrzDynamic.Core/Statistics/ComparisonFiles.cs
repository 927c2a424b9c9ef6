namespace OrzDynamic.Core.Statistics;

/// <summary>
/// The formats of <c>comparisons.csv</c> and <c>comparisons.json</c>; the files are written row by row by
/// <see cref="ComparisonFileWriter"/> (each via a temp file and an atomic rename).
/// </summary>
internal static class ComparisonFiles
{
    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "dataset", "kind", "from_checkpoint", "from_iteration", "to_checkpoint", "to_iteration", "metric", "stratum",
        "test", "method", "n_from", "n_to", "unpaired", "mean_from", "mean_to", "effect_name", "effect",
        "mean_diff", "mean_diff_ci_low", "mean_diff_ci_high", "statistic", "df", "p", "p_adjusted", "significant", "direction",
        "paired_t", "paired_t_p", "not_testable",
    ];

    /// <summary>The <c>multiple_testing</c> line of the JSON.</summary>
    internal const string MultipleTesting = "Holm–Bonferroni within each dataset × comparison";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The options of <see cref="ToJson"/> without indentation: one row per line in the streaming writer's scratch files.</summary>
    internal static JsonSerializerOptions CompactJsonOptions { get; } = new(JsonOptions) { WriteIndented = false };

    /// <summary>Writer options that format as <see cref="ToJson"/> does (indentation, new lines, escaping).</summary>
    internal static JsonWriterOptions IndentedWriterOptions { get; } = new()
    {
        Indented = true,
        Encoder = JsonOptions.Encoder,
        IndentCharacter = JsonOptions.IndentCharacter,
        IndentSize = JsonOptions.IndentSize,
        NewLine = JsonOptions.NewLine,
        SkipValidation = false,
    };

    /// <summary>
    /// Writes both files into <paramref name="outputDir"/>, row by row (<see cref="ComparisonFileWriter"/>); returns
    /// their paths (CSV first).
    /// </summary>
    public static IReadOnlyList<string> Write(ComparisonReport report, string outputDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new ComparisonFileWriter(outputDir, report.ConfidenceLevel, report.Alpha);
        writer.Add(report.Rows);
        return writer.Complete();
    }

    /// <summary>The CSV text (invariant culture, empty cells for "not available").</summary>
    public static string ToCsv(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder().AppendLine(string.Join(',', CsvColumns));
        foreach (var r in report.Rows) sb.AppendLine(CsvLine(r));
        return sb.ToString();
    }

    /// <summary>One row of the CSV, without the line end.</summary>
    public static string CsvLine(ComparisonRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
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
        return string.Join(',', cells.Select(Quote));
    }

    /// <summary>The JSON text: level, alpha, legend and the rows.</summary>
    public static string ToJson(ComparisonReport report) => JsonSerializer.Serialize(new
    {
        confidence_level = report.ConfidenceLevel,
        alpha = report.Alpha,
        multiple_testing = MultipleTesting,
        legend = report.Legend,
        rows = report.Rows,
    }, JsonOptions);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
