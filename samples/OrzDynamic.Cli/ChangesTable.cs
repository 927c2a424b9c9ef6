using OrzDynamic.Core.Results;
using System.Globalization;
using OrzDynamic.Core.Statistics;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>The console table "Changes between checkpoints": the significant rows of a comparison report.</summary>
internal static class ChangesTable
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes the significant rows of <paramref name="report"/> with a count of the rest; with <paramref name="all"/>
    /// (the rows of comparisons.json, <see cref="ReadAll"/>) every testable row follows in a second table.
    /// </summary>
    public static void Write(IAnsiConsole console, ComparisonSummary report, IReadOnlyList<JsonNode>? all = null)
    {
        WriteSignificant(console, report);
        if (all is null) return;
        var testable = all.Where(r => r["test"]?["is_testable"]?.GetValue<bool>() == true).ToArray();
        var t = new FittedTable("[bold]All testable changes between checkpoints[/]", "dataset", "change", "metric / stratum", "test", "mean from → to", "p adj.", "significant");
        foreach (var r in testable)
        {
            string S(string key) => r[key]?.ToString() ?? "";
            double? D(string key) => r[key] is JsonValue v && v.TryGetValue<double>(out var x) ? x : null;
            t.AddRow(Markup.Escape(S("dataset")),
                Markup.Escape($"{Short(S("from_checkpoint"))}→{Short(S("to_checkpoint"))}{(S("kind") == "first" ? " (first)" : "")}"),
                Markup.Escape($"{S("metric")} / {S("stratum")}"),
                Markup.Escape(r["test"]?["test"]?.ToString() ?? ""),
                Markup.Escape($"{G(D("mean_from"))} → {G(D("mean_to"))}"),
                P(D("p_adjusted")),
                S("significant") == "true" ? "yes" : "no");
        }
        t.Write(console);
    }

    /// <summary>The rows of the comparisons.json among <paramref name="files"/> (empty when there is none).</summary>
    public static IReadOnlyList<JsonNode> ReadAll(IEnumerable<string> files)
    {
        var json = files.FirstOrDefault(f => f.EndsWith(".json", StringComparison.Ordinal));
        if (json is null || !File.Exists(json)) return [];
        return JsonNode.Parse(File.ReadAllText(json))?["rows"]?.AsArray().Where(r => r is not null).Select(r => r!).ToArray() ?? [];
    }

    private static void WriteSignificant(IAnsiConsole console, ComparisonSummary report)
    {
        var significant = report.Significant;
        long testable = report.Testable;
        long notTestable = report.Rows - testable;
        var caption = string.Create(Ci,
            $"{significant.Count} of {testable} tests significant (Holm-adjusted p < {report.Alpha:0.###} per dataset × comparison); {notTestable} not testable. Full table: comparisons.csv");
        if (significant.Count == 0)
        {
            console.MarkupLine("[bold]Changes between checkpoints[/]: none significant.");
            console.MarkupLine($"  [grey]{Markup.Escape(caption)}[/]");
            return;
        }
        var t = new FittedTable("[bold]Changes between checkpoints[/]", "dataset", "change", "metric / stratum", "test", "effect (to − from)", "p adj.", "n")
        {
            CaptionMarkup = Markup.Escape(caption),
        };
        foreach (var r in significant)
        {
            string arrow = r.Direction == "up" ? "[green]↑[/]" : r.Direction == "down" ? "[red]↓[/]" : "–";
            t.AddRow(
                Markup.Escape(r.Dataset),
                Markup.Escape($"{Short(r.FromCheckpoint)}→{Short(r.ToCheckpoint)}{(r.Kind == ComparisonKind.First ? " (first)" : "")}"),
                Markup.Escape($"{r.Metric} / {r.Stratum}"),
                Markup.Escape(TestName(r.Test.Test)),
                arrow + " " + Markup.Escape(Effect(r)),
                P(r.AdjustedP),
                r.Stratum == Strata.All ? r.NFrom.ToString(Ci) + (r.Unpaired > 0 ? $"+{r.Unpaired}u" : "") : $"{r.NFrom}/{r.NTo}");
        }
        t.Write(console);
        console.MarkupLine(Markup.Escape(string.Create(Ci,
            $"  effect: accuracy Δ in points [paired {report.ConfidenceLevel:P0} CI]; all answers: median paired Δ (Wilcoxon) and mean Δ [paired-t CI];")));
        console.MarkupLine(Markup.Escape("          correct/incorrect: mean Δ [Welch CI]"));
    }

    private static string Short(string checkpoint) => checkpoint.Length <= 12 ? checkpoint : checkpoint[..11] + "…";

    private static string TestName(string test) => test switch
    {
        HypothesisTestResult.McNemarExact => "McNemar",
        HypothesisTestResult.WilcoxonSignedRank => "Wilcoxon",
        HypothesisTestResult.WelchT => "Welch",
        _ => test,
    };

    private static string Effect(ComparisonRow r)
    {
        var md = r.MeanDifference;
        if (r.Metric == ComparisonRow.AccuracyMetric)
        {
            var pp = string.Create(Ci, $"{r.Test.Effect * 100:+0.0;-0.0;0} pp");
            return md is null ? pp : pp + string.Create(Ci, $" [{md.Low * 100:+0.0;-0.0;0}, {md.High * 100:+0.0;-0.0;0}]");
        }
        var interval = md is null ? "" : $" [{G(md.Low)}, {G(md.High)}]";
        return r.Stratum == Strata.All
            ? $"median {G(r.Test.Effect)}, mean {G(md?.Estimate)}{interval}"
            : $"mean {G(md?.Estimate)}{interval}";
    }

    private static string G(double? v) => v is not { } x ? "–" : x.ToString(Math.Abs(x) >= 100 ? "+0.#;-0.#;0" : "+0.####;-0.####;0", Ci);

    private static string P(double? p) => p is not { } v ? "–" : v < 1e-4 ? v.ToString("0.0e0", Ci) : v.ToString("0.0000", Ci);
}
