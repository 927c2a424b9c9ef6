using OrzDynamic.Core.Results;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Benchmarks.Statistics;

/// <summary>
/// False-positive rate of the checkpoint comparisons: one checkpoint is evaluated with N different sampling seeds
/// (the null hypothesis "no change" is true by construction) and every evaluation is compared with another one. Reports
/// the share of raw p &lt; alpha per test and the share of comparisons with at least one Holm-significant change.
/// With <c>--n_samples K</c> every evaluation generates K answers per prompt and the comparisons are the clustered ones
/// (paired tests on per-prompt means).
/// <code>dotnet run --project tests/OrzDynamic.Benchmarks -- stats-fpr [--checkpoint DIR] [--data FILE] [--seeds 20] [--n_samples 1] [--generate_max_len 64] [--output DIR]</code>
/// Evaluations already in the output directory are resumed, so an interrupted study continues where it stopped.
/// </summary>
public static class FalsePositiveRateStudy
{
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var root = FindRepoRoot();
        var checkpoint = Arg("--checkpoint", Path.Combine(root, "samples", "demo-checkpoints", "iter1200"));
        var data = Arg("--data", Path.Combine(root, "samples", "demo-data", "arith_demo.json"));
        int seeds = int.Parse(Arg("--seeds", "20"), CultureInfo.InvariantCulture);
        int k = int.Parse(Arg("--n_samples", "1"), CultureInfo.InvariantCulture);
        int maxLen = int.Parse(Arg("--generate_max_len", "64"), CultureInfo.InvariantCulture);
        var output = Arg("--output", Path.Combine(Path.GetTempPath(), k == 1 ? "orz-stats-fpr" : $"orz-stats-fpr-k{k}"));
        const double alpha = 0.05;

        Console.WriteLine($"# Checkpoint compared with itself: {checkpoint}, {seeds} sampling seeds, {k} answer(s) per prompt, data {data}");
        Console.WriteLine($"load before: {MachineLoad.Line()}");
        var samples = new List<CheckpointSamples>();
        var sw = Stopwatch.StartNew();
        for (int s = 1; s <= seeds; s++)
        {
            var t0 = sw.Elapsed;
            var config = new EvaluatorConfig
            {
                ModelPath = checkpoint,
                EvalPromptData = [data],
                DoSample = true,
                Temperature = 1.0,
                GenerateMaxLen = maxLen,
                NSamples = k,
                BatchSize = 16,
                Seed = s,
                CheckpointName = $"seed{s}",
                OutputDir = Path.Combine(output, $"seed{s}"),
            };
            using var evaluator = Evaluator.CreateAsync(config).GetAwaiter().GetResult();
            var results = evaluator.EvalAsync().GetAwaiter().GetResult();
            samples.Add(CheckpointSamples.FromResults(results, s));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {s,2}: accuracy {results.Datasets.Values.First().Accuracy:0.00}, {(sw.Elapsed - t0).TotalSeconds:0.0} s"));
        }
        Console.WriteLine($"load after evaluations: {MachineLoad.Line()}");

        var comparer = new CheckpointComparer(new ComparisonOptions { Alpha = alpha });
        var disjoint = Enumerable.Range(0, seeds / 2).Select(k => comparer.ComparePair(samples[2 * k], samples[2 * k + 1], ComparisonKind.Previous)).ToList();
        var allPairs = new List<IReadOnlyList<ComparisonRow>>();
        for (int i = 0; i < seeds; i++)
            for (int j = i + 1; j < seeds; j++)
                allPairs.Add(comparer.ComparePair(samples[i], samples[j], ComparisonKind.Previous));

        var report = new StringBuilder();
        report.AppendLine(Summary($"{disjoint.Count} independent comparisons (seed 1 vs 2, 3 vs 4, …)", disjoint, alpha));
        report.AppendLine(Summary($"all {allPairs.Count} seed pairs (overlapping, so not independent)", allPairs, alpha));
        report.AppendLine($"load at the end: {MachineLoad.Line()}");
        Console.WriteLine(report);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "fpr.md"), report.ToString());
        return 0;
    }

    private static string Summary(string title, IReadOnlyList<IReadOnlyList<ComparisonRow>> comparisons, double alpha)
    {
        var sb = new StringBuilder().AppendLine($"## {title}").AppendLine()
            .AppendLine("| test | stratum | testable | not testable | raw p < 0.05 | rate | Holm-significant |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|");
        var rows = comparisons.SelectMany(c => c).ToList();
        foreach (var g in rows.GroupBy(r => (r.Test.Test, Stratum: r.Metric == ComparisonRow.AccuracyMetric ? "accuracy" : r.Stratum)))
        {
            int testable = g.Count(r => r.Test.IsTestable);
            int raw = g.Count(r => r.P < alpha);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key.Test} | {g.Key.Stratum} | {testable} | {g.Count() - testable} | {raw} | {(testable == 0 ? 0 : (double)raw / testable):P1} | {g.Count(r => r.Significant)} |"));
        }
        var pairedT = rows.Where(r => r.PairedT is { IsTestable: true }).ToList();
        int pairedRaw = pairedT.Count(r => r.PairedT!.PValue < alpha);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| paired t (alongside) | all | {pairedT.Count} | | {pairedRaw} | {(pairedT.Count == 0 ? 0 : (double)pairedRaw / pairedT.Count):P1} | |"));
        int families = comparisons.Count;
        int anySignificant = comparisons.Count(c => c.Any(r => r.Significant));
        sb.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Family-wise: {anySignificant} of {families} comparisons ({(double)anySignificant / families:P1}) report at least one Holm-significant change; " +
            $"per test: {rows.Count(r => r.P < alpha)} of {rows.Count(r => r.Test.IsTestable)} testable tests have raw p < {alpha} " +
            $"({(double)rows.Count(r => r.P < alpha) / Math.Max(1, rows.Count(r => r.Test.IsTestable)):P1})."));
        return sb.ToString();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "demo-checkpoints"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
