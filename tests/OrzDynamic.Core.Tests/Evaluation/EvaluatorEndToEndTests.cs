using OrzDynamic.Plotting.Export;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;
using SkiaSharp;

namespace OrzDynamic.Core.Tests.Evaluation;

[TestFixture]
[NonParallelizable]
public class EvaluatorEndToEndTests
{
    private EvalFixture _fx = null!;

    [OneTimeSetUp]
    public void SetUp() => _fx = new EvalFixture();

    [OneTimeTearDown]
    public void TearDown() => _fx.Dispose();

    private string Out(string name) => Path.Combine(_fx.Root, "out-" + name + "-" + Guid.NewGuid().ToString("N")[..6]);

    [Test]
    public async Task TwoDatasets_JournalSchemaCountsStrataAndCharts()
    {
        var outDir = Out("full");
        await using var evaluator = new Evaluator(_fx.Config(0, outDir)) { ChartWriter = new PngChartWriter() };
        var results = await evaluator.EvalAsync();

        Assert.That(results.Datasets.Keys, Is.EquivalentTo(new[] { "alpha", "beta" }));
        Assert.That(results["alpha/evaluated"], Is.EqualTo(4));
        Assert.That(results["beta/evaluated"], Is.EqualTo(3));
        var lines = File.ReadAllLines(evaluator.JournalPath);
        Assert.That(lines, Has.Length.EqualTo(7));
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            foreach (var key in new[] { "prompt", "output", "final_answer", "answer", "iscorrect", "token_ids", "ld_metrics", "dataset", "index", "checkpoint" })
                Assert.That(root.TryGetProperty(key, out _), Is.True, $"missing key {key} in {line[..Math.Min(200, line.Length)]}");
            foreach (var key in new[] { "out_token", "out_argmax", "A_norm", "prob_gap2_mean", "prob_energy", "out_except_argmax", "argmax_match_rate", "valid_tokens" })
                Assert.That(root.GetProperty("ld_metrics").TryGetProperty(key, out _), Is.True, "ld_metrics." + key);
            Assert.That(root.GetProperty("checkpoint").GetString(), Is.EqualTo("iter0"));
        }

        var records = lines.Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).ToArray();
        foreach (var ds in new[] { "alpha", "beta" })
        {
            var mine = records.Where(r => r.Dataset == ds).ToArray();
            int correct = mine.Count(r => r.IsCorrect);
            Assert.That(results[$"{ds}/accuracy"], Is.EqualTo((double)correct / mine.Length));
            Assert.That(results[$"{ds}/ld_correct/count"] + results[$"{ds}/ld_incorrect/count"] + results[$"{ds}/invalid"], Is.EqualTo(mine.Length));
            var expectedRandom = mine.Where(r => r.InvalidReason is null).Sum(r => Math.Min(5, r.LdMetrics!.ValidTokens));
            Assert.That(results[$"{ds}/ld_random/count"], Is.EqualTo(expectedRandom));
            var withSamples = mine.Where(r => r.SampledTokens is not null).ToArray();
            Assert.That(withSamples.Sum(r => r.SampledTokens!.Positions.Count), Is.EqualTo(expectedRandom), $"{ds}: every random position is in a record");
            foreach (var r in withSamples)
            {
                var st = r.SampledTokens!;
                Assert.That(st.Positions, Is.Unique);
                Assert.That(st.Positions.All(p => p >= r.PromptTokens && p < r.PromptTokens + r.TokenIds.Count), Is.True, "random positions lie in the response");
                Assert.That(st.TokenIds, Is.EqualTo(st.Positions.Select(p => r.TokenIds[p - r.PromptTokens])));
                Assert.That(st.Probs.Zip(st.LogProbs).All(x => Math.Abs(x.First - Math.Exp(x.Second)) < 1e-12), Is.True);
            }
        }
        Assert.That(results["eval_accuracy"], Is.EqualTo((results["alpha/accuracy"] + results["beta/accuracy"]) / 2).Within(1e-12));
        Assert.That(results["custom_sentence_mine/count"], Is.EqualTo(2));

        Assert.That(File.Exists(evaluator.SummaryPath), Is.True);
        Assert.That(Directory.GetFiles(outDir, "eval_results_alpha_*.jsonl"), Has.Length.EqualTo(1));
        Assert.That(evaluator.ChartPaths, Has.Count.EqualTo(2));
        foreach (var chart in evaluator.ChartPaths)
        {
            Assert.That(Path.GetFileName(chart), Does.StartWith("ld_comparison_"));
            using var bmp = SKBitmap.Decode(chart);
            Assert.That(bmp, Is.Not.Null, chart);
            Assert.That(bmp.Width, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task ResumeAfterTornJournal_GivesSameResultsWithoutDuplicates()
    {
        var outDir = Out("resume");
        // Static batching is the mode that guarantees bit-identical regenerated answers on resume.
        var config = _fx.Config(0, outDir) with { GenerationMode = OrzDynamic.Core.Generation.GenerationMode.Static };
        EvalResults first;
        await using (var e = new Evaluator(config)) first = await e.EvalAsync();
        var journal = Path.Combine(outDir, OutputLayout.Journal);
        var bytes = File.ReadAllBytes(journal);
        var lines = File.ReadAllLines(journal);
        // Cut the file in the middle of the 5th line: lines 5..7 are lost/torn and must be recomputed.
        int cut = lines.Take(4).Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1) + 30;
        File.WriteAllBytes(journal, bytes[..cut]);

        EvalResults second;
        await using (var e = new Evaluator(config)) second = await e.EvalAsync();
        var after = File.ReadAllLines(journal);
        Assert.That(after, Has.Length.EqualTo(7));
        var keys = after.Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).Select(r => (r.Dataset, r.Index)).ToArray();
        Assert.That(keys, Is.Unique);
        Assert.That(first.Flat.Keys, Does.Contain("alpha/accuracy").And.Contain("beta/ld_correct/count"));
        Assert.That(second.Flat.Keys, Is.EquivalentTo(first.Flat.Keys));
        foreach (var (k, v) in first.Flat)
            Assert.That(second[k], double.IsNaN(v) ? Is.NaN : Is.EqualTo(v).Within(1e-9), k);
        var firstRecords = lines.Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).ToDictionary(r => (r.Dataset, r.Index));
        foreach (var l in after)
        {
            var r = JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!;
            Assert.That(r.TokenIds, Is.EqualTo(firstRecords[(r.Dataset, r.Index)].TokenIds), "regenerated answers are identical (seeded, fixed batches)");
        }
    }

    [Test]
    public async Task Cancellation_LeavesValidJournalAndRunResumes()
    {
        var outDir = Out("cancel");
        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress(p => { if (p.CompletedSamples >= 1) cts.Cancel(); });
        await using (var e = new Evaluator(_fx.Config(0, outDir) with { BatchSize = 1 }))
            Assert.That(async () => await e.EvalAsync(progress, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        var lines = File.ReadAllLines(Path.Combine(outDir, OutputLayout.Journal));
        Assert.That(lines.Length, Is.InRange(1, 6));
        Assert.That(lines.All(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions) is not null), Is.True);
        await using (var e = new Evaluator(_fx.Config(0, outDir) with { BatchSize = 1 }))
        {
            var results = await e.EvalAsync();
            Assert.That(results["alpha/evaluated"] + results["beta/evaluated"], Is.EqualTo(7));
        }
    }

    [Test]
    public async Task TokenTracesOnRequest_OnePerResponseToken()
    {
        await using var e = new Evaluator(_fx.Config(0, Out("traces")) with { EvalPromptData = [_fx.DatasetB], CustomSentenceFiles = [], SaveTokenTraces = true });
        await e.EvalAsync();
        var lines = File.ReadAllLines(e.JournalPath);
        Assert.That(lines, Has.Length.EqualTo(3), "beta's three samples");
        foreach (var line in lines)
        {
            var r = JsonSerializer.Deserialize<SampleRecord>(line, ResultsJournal.LineOptions)!;
            Assert.That(r.TokenTraces!.LogProbs, Has.Count.EqualTo(r.TokenIds.Count));
            Assert.That(r.TokenTraces.LogProbs.Sum(), Is.EqualTo(r.LdMetrics!.OutToken).Within(1e-3));
            Assert.That(r.TokenTraces.ArgmaxIds, Has.Count.EqualTo(r.TokenIds.Count));
        }
    }

    [Test]
    public async Task ChangedSettingsOnResumeAreRefused()
    {
        var outDir = Out("mismatch");
        await using (var e = new Evaluator(_fx.Config(0, outDir) with { EvalPromptData = [_fx.DatasetB], CustomSentenceFiles = [] }))
            await e.EvalAsync();
        await using var changed = new Evaluator(_fx.Config(0, outDir) with { EvalPromptData = [_fx.DatasetB], CustomSentenceFiles = [], Temperature = 0.5 });
        Assert.That(async () => await changed.EvalAsync(), Throws.TypeOf<ResultsFileException>().With.Message.Contains("temperature"));
    }

    [Test]
    public async Task TwoCheckpoints_TrendsChartsAndCsv()
    {
        var all = new Dictionary<string, EvalResults>();
        var root = Out("trends");
        for (int i = 0; i < 2; i++)
        {
            await using var e = new Evaluator(_fx.Config(i, Path.Combine(root, $"iter{i * 10}")) with { CustomSentenceFiles = [] });
            all[_fx.Checkpoints[i]] = await e.EvalAsync();
        }
        var trends = Evaluator.AggregateMultiCheckpointResults(all);
        Assert.That(trends.Datasets.Select(d => d.Dataset), Is.EquivalentTo(new[] { "alpha", "beta" }));
        var alpha = trends.Datasets.Single(d => d.Dataset == "alpha");
        Assert.That(alpha.Accuracy!.Iterations, Is.EqualTo(new[] { 0, 10 }));
        var written = Evaluator.SaveTrends(trends, root, new PngChartWriter());
        Assert.That(written[0], Is.EqualTo(Path.Combine(root, OutputLayout.TrendsCsv)));
        var charts = written.Skip(1).ToArray();
        Assert.That(charts, Has.Length.EqualTo(2));
        Assert.That(charts.All(c => Path.GetFileName(c).StartsWith("ld_trends_", StringComparison.Ordinal) && File.Exists(c)), Is.True);
        var csv = File.ReadAllLines(Path.Combine(root, OutputLayout.TrendsCsv));
        Assert.That(csv[0], Is.EqualTo("dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change"));
        Assert.That(csv.Count(l => l.StartsWith("alpha,all,accuracy,", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    private sealed class InlineProgress(Action<EvalProgress> action) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => action(value);
    }
}
