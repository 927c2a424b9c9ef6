using OrzDynamic.Metrics;
using System.Globalization;
using OrzDynamic.Core.Results;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>Renders evaluation results as console tables.</summary>
internal static class ResultsTables
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static void Write(IAnsiConsole console, EvalResults results)
    {
        var overview = new FittedTable($"[bold]{Markup.Escape(results.Checkpoint)}[/]  eval_accuracy = {Fmt(results.EvalAccuracy, "0.0%")}",
            "dataset", "accuracy", "evaluated", "correct", "incorrect", "random tokens", "invalid", "skipped (too long)", "mean answer chars");
        foreach (var ds in results.Datasets.Values)
        {
            int Count(string s) => ds.Strata.TryGetValue(s, out var r) ? r.Count : 0;
            overview.AddRow(Markup.Escape(ds.Name), AccuracyCell(results, ds.Name, ds.Accuracy), I(ds.Evaluated), I(ds.Correct),
                I(Count(Strata.Incorrect)), I(Count(Strata.Random)), I(ds.Invalid), I(ds.SkippedTooLong),
                Fmt(ds.ResponseLenInChar, "0"));
        }
        overview.Write(console);

        foreach (var ds in results.Datasets.Values.Where(d => d.MultiSample is not null))
        {
            var multi = ds.MultiSample!;
            var names = new List<string> { $"avg@{multi.SamplesPerPrompt}" };
            names.AddRange(multi.PassAtK.Keys.Order().Select(k => $"pass@{k}"));
            names.Add($"maj@{multi.SamplesPerPrompt}");
            var t = new FittedTable($"{Markup.Escape(ds.Name)}: K = {multi.SamplesPerPrompt}, {multi.Prompts} prompts",
                ["metric", "value [interval over prompts]"]);
            foreach (var name in names)
                t.AddRow(name, MeanCell(results, $"{ds.Name}/{name}"));
            t.Write(console);
        }

        foreach (var ds in results.Datasets.Values.Where(d => d.Evaluated > 0))
        {
            var t = new FittedTable($"{Markup.Escape(ds.Name)}: metric mean ± std by stratum",
                ["metric", .. Strata.Ordered.Select(s => $"ld_{s} (n={(ds.Strata.TryGetValue(s, out var r) ? r.Count : 0)})")]);
            foreach (var metric in LdMetricKeys.All)
                t.AddRow([metric, .. Strata.Ordered.Select(s => Cell(ds.Strata.GetValueOrDefault(s), metric))]);
            t.Write(console);
        }

        if (results.CustomSentences.Count > 0)
        {
            var t = new FittedTable("custom sentences", ["file", "n", .. LdMetricKeys.Charted]);
            foreach (var (name, sr) in results.CustomSentences)
                t.AddRow([Markup.Escape(name), I(sr.Count), .. LdMetricKeys.Charted.Select(m => Cell(sr, m))]);
            t.Write(console);
        }
    }

    private static string Cell(StratumResult? sr, string metric) =>
        sr is null || sr.Count == 0 || !sr.Metrics.TryGetValue(metric, out var m) ? "[grey]–[/]"
            : $"{Fmt(m.Mean, "0.####")} ± {Fmt(m.Std, "0.####")}";

    /// <summary>A value of the flat results with its interval when there is one, e.g. "62.5% [48.1–76.9]".</summary>
    private static string MeanCell(EvalResults results, string key) =>
        results.TryGetValue(key + "_ci_low", out var low) && results.TryGetValue(key + "_ci_high", out var high)
            ? $"{Fmt(results[key], "0.0%")} [grey][[{Fmt(low * 100, "0.0")}–{Fmt(high * 100, "0.0")}]][/]"
            : Fmt(results[key], "0.0%");

    /// <summary>Accuracy with its interval at the results' confidence level (Wilson; over prompts with several answers per prompt), e.g. "30.0% [21.9–39.6]".</summary>
    private static string AccuracyCell(EvalResults results, string dataset, double accuracy) =>
        results.AccuracyInterval(dataset) is { } ci
            ? $"{Fmt(accuracy, "0.0%")} [grey][[{Fmt(ci.Low * 100, "0.0")}–{Fmt(ci.High * 100, "0.0")}]][/]"
            : Fmt(accuracy, "0.0%");

    private static string Fmt(double v, string format) => double.IsFinite(v) ? v.ToString(format, Ci) : "n/a";

    private static string I(int v) => v.ToString(Ci);
}
