using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Plotting.Export;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// After every checkpoint is evaluated: trends of the fixed texts — each custom sentence file (mean, groups, item
/// lines) and the answer probes (per dataset: all, correct, incorrect reference answers) — as rows of
/// <c>trends.csv</c>, <c>probe_trends_&lt;set&gt;.csv</c>, trend charts and per-token heatmaps.
/// </summary>
internal sealed class FixedResponseOutputs(CliSettings settings, IAnsiConsole console, ILoggerFactory loggerFactory)
{
    public IReadOnlyList<string> Write(IReadOnlyList<(string Path, EvaluatorConfig Config)> configs, AnswerProbeStage? probes, CancellationToken ct)
    {
        var log = loggerFactory.CreateLogger<FixedResponseOutputs>();
        var charts = new FixedResponseChartWriter(logger: loggerFactory.CreateLogger<FixedResponseChartWriter>());
        var paths = configs.Select(c => c.Path).ToArray();
        var trends = new List<FixedResponseTrend>();
        var written = new List<string>();

        if (settings.CustomSentences.Count > 0 && configs.Count > 1)
        {
            foreach (var file in settings.CustomSentences)
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                var byCheckpoint = configs.Select((c, i) => (
                    new ProbeCheckpoint(c.Config.EffectiveCheckpointName, c.Path, CheckpointIterations.Of(paths, i)),
                    CustomSentenceScores.Read(c.Config.OutputDir, stem, c.Config.EffectiveCheckpointName))).ToArray();
                trends.AddRange(FixedResponseTrends.Build("custom_sentence_", s => ($"Custom sentences — {s}", $"{Path.GetFileName(file)}, scored teacher-forced at every checkpoint"),
                    byCheckpoint, settings.FixedItemLines, log));
            }
        }

        if (probes is not null && probes.Records.Count > 0)
        {
            var points = ProbeAggregator.Aggregate(probes.Records);
            var csv = Path.Combine(settings.OutputDir, ProbeFiles.TrendsCsv(probes.SetName));
            ProbeAggregator.WriteCsv(points, csv);
            written.Add(csv);
            trends.AddRange(FixedResponseTrends.Build(probes.SetName + "/",
                d => ($"Answers of {probes.ReferenceName} on {d}, scored at every checkpoint", "the same texts at every checkpoint; split by whether the reference answer was correct"),
                probes.Records, settings.FixedItemLines, log));
        }

        if (trends.Count == 0) return written;
        var trendsCsv = Path.Combine(settings.OutputDir, OutputFiles.TrendsCsv);
        // Evaluator.SaveTrends wrote trends.csv this run when there are two or more checkpoints; else start it afresh.
        int rows = FixedResponseTrends.AppendCsv(trendsCsv, trends, appendToExisting: paths.Distinct().Count() > 1);
        log.LogInformation("Appended {Rows} fixed-response trend rows to {Path}", rows, trendsCsv);
        written.Add(trendsCsv);
        foreach (var trend in trends) written.Add(charts.SaveTrend(trend, settings.OutputDir, ct));

        if (probes?.Heatmaps is { } selection)
        {
            var tokenizer = probes.LoadTokenizer(settings.TokenizerPath);
            foreach (var key in selection.Resolve(probes.Items, probes.Records))
            {
                var heatmap = TokenHeatmapBuilder.Build(key, probes.Records, id => tokenizer.Decode([id]), $"{probes.ReferenceName}'s answer ");
                written.Add(charts.SaveHeatmap(heatmap, settings.OutputDir, ct));
            }
        }
        console.MarkupLine("[bold]Fixed texts across checkpoints[/]");
        foreach (var w in written.Distinct()) console.MarkupLine($"  {(w.EndsWith(".csv", StringComparison.Ordinal) ? "csv       " : "chart     ")} : {Markup.Escape(w)}");
        return written;
    }
}
