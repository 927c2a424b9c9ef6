using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>
/// Several answers per prompt on a demo checkpoint: K = 4 extends a K = 2 run without recomputing its answers, a fresh
/// K = 4 run has the K = 2 run's answers as samples 0 and 1, and a run cancelled part-way and resumed equals an
/// uninterrupted one.
/// </summary>
[TestFixture]
public sealed class ManySamplesRunTests
{
    private const int Prompts = 12;

    private static EvaluatorConfig Config(string output, int k, GenerationMode mode = GenerationMode.Static) => new()
    {
        ModelPath = DemoPaths.CheckpointDirectories.Single(c => c.Step == 1200).Path,
        EvalPromptData = [DemoPaths.EvalData],
        MaxEvalSamples = Prompts,
        GenerateMaxLen = 24,
        DoSample = true,
        Temperature = 1.0,
        DType = "float32",
        GenerationMode = mode,
        BatchSize = 4,
        OutputDir = output,
        EnableVisualization = false,
        RandomTokensPerSample = 2,
        NSamples = k,
    };

    private sealed class Recorder : IProgress<EvalProgress>
    {
        public readonly List<EvalProgress> Reports = [];
        public Action<EvalProgress>? OnReport;
        public void Report(EvalProgress value)
        {
            lock (Reports) Reports.Add(value);
            OnReport?.Invoke(value);
        }
    }

    private static async Task<(EvalResults Results, Recorder Progress)> Run(EvaluatorConfig config, CancellationToken ct = default, Action<EvalProgress>? onReport = null)
    {
        var progress = new Recorder { OnReport = onReport };
        await using var evaluator = new Evaluator(config);
        var results = await evaluator.EvalAsync(progress, ct);
        return (results, progress);
    }

    private static Dictionary<(string, int, int), SampleRecord> Journal(string output)
    {
        using var journal = ResultsJournal.Open(Path.Combine(output, OutputLayout.Journal));
        return journal.Records.ToDictionary(ResultsJournal.KeyOf);
    }

    private static string[] Lines(string output) => File.ReadAllLines(Path.Combine(output, OutputLayout.Journal));

    [Test]
    public async Task FourSamplesExtendTwoWithoutRecomputingThem()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.Sub("run");
        await Run(Config(dir, 2));
        var twoLines = Lines(dir);
        Assert.That(twoLines, Has.Length.EqualTo(2 * Prompts));

        var (results, progress) = await Run(Config(dir, 4));
        var fourLines = Lines(dir);
        Assert.That(fourLines, Has.Length.EqualTo(4 * Prompts));
        Assert.That(fourLines.Take(twoLines.Length), Is.EqualTo(twoLines), "the K = 2 lines stay as written");
        // The extending run starts with the 2·12 answers done and generates only the other 2·12.
        Assert.That(progress.Reports.Where(r => r.Stage == EvalStage.Generating).Min(r => r.CompletedSamples), Is.EqualTo(2 * Prompts));
        Assert.That(progress.Reports.Max(r => r.TotalSamples), Is.EqualTo(4 * Prompts));
        var added = Journal(dir).Keys.Where(k => k.Item3 >= 2).ToArray();
        Assert.That(added, Has.Length.EqualTo(2 * Prompts));

        var fresh = tmp.Sub("fresh");
        var (freshResults, _) = await Run(Config(fresh, 4));
        var extended = Journal(dir);
        var direct = Journal(fresh);
        Assert.That(direct.Keys, Is.EquivalentTo(extended.Keys));
        foreach (var (key, r) in direct)
            Assert.That(r.TokenIds, Is.EqualTo(extended[key].TokenIds), $"{key}: a fresh K = 4 run and K = 2 extended to 4 agree");
        Assert.That(direct.Values.Select(r => r.Sample), Is.All.Not.Null, "with K > 1 every line has its sample number");
        Assert.That(direct.Values.GroupBy(r => r.Index).Count(g => g.Select(r => string.Join(",", r.TokenIds)).Distinct().Count() > 1), Is.GreaterThan(0),
            "sampled answers of one prompt differ (each sample has its own seed)");
        Assert.That(freshResults.Flat, Is.EqualTo(results.Flat));
        Assert.That(results.ContainsKey("arith_demo/avg@4") && results.ContainsKey("arith_demo/pass@1") && results.ContainsKey("arith_demo/pass@2")
                    && results.ContainsKey("arith_demo/pass@4") && results.ContainsKey("arith_demo/maj@4"), Is.True, string.Join(", ", results.Keys));
        Assert.That(results["arith_demo/avg@4"], Is.EqualTo(results["arith_demo/accuracy"]).Within(1e-12));
        Assert.That(results["arith_demo/pass@1"], Is.EqualTo(results["arith_demo/avg@4"]).Within(1e-12));
        Assert.That(results["arith_demo/pass@4"], Is.GreaterThanOrEqualTo(results["arith_demo/pass@2"]));
        Assert.That(results["arith_demo/prompts"], Is.EqualTo(Prompts));
    }

    [TestCase(GenerationMode.Static)]
    [TestCase(GenerationMode.Continuous)]
    public async Task CancelledAndResumedRunEqualsAnUninterruptedOne(GenerationMode mode)
    {
        using var tmp = new TempDirectory();
        var whole = tmp.Sub("whole");
        var (expected, _) = await Run(Config(whole, 4, mode));

        var resumed = tmp.Sub("resumed");
        using (var cts = new CancellationTokenSource())
        {
            Assert.That(async () => await Run(Config(resumed, 4, mode), cts.Token, p =>
            {
                if (p.Stage == EvalStage.Scoring && p.CompletedSamples >= 19) cts.Cancel();
            }), Throws.InstanceOf<OperationCanceledException>());
        }
        int partial = Lines(resumed).Length;
        Assert.That(partial, Is.InRange(19, 4 * Prompts - 1), "the cancelled run stopped part-way");
        var (actual, progress) = await Run(Config(resumed, 4, mode));
        Assert.That(progress.Reports.Where(r => r.Stage == EvalStage.Generating).Min(r => r.CompletedSamples), Is.EqualTo(partial));

        var a = Journal(whole);
        var b = Journal(resumed);
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (key, r) in a)
        {
            Assert.That(b[key].TokenIds, Is.EqualTo(r.TokenIds), $"{key}: answer");
            Assert.That(b[key].LdMetrics, Is.EqualTo(r.LdMetrics), $"{key}: metrics");
        }
        Assert.That(File.ReadAllText(Path.Combine(resumed, OutputLayout.Summary)), Is.EqualTo(File.ReadAllText(Path.Combine(whole, OutputLayout.Summary))));
        Assert.That(actual.Flat, Is.EqualTo(expected.Flat));
    }

    [Test]
    public async Task OneSampleRunsWriteNoSampleFieldAndNoManySampleKeys()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.Sub("k1");
        var (results, _) = await Run(Config(dir, 1));
        Assert.That(Lines(dir).Any(l => l.Contains("\"sample\"", StringComparison.Ordinal)), Is.False);
        Assert.That(results.Keys.Where(k => k.Contains('@', StringComparison.Ordinal) || k.EndsWith("_var_within", StringComparison.Ordinal)), Is.Empty);
        Assert.That(results.Datasets["arith_demo"].MultiSample, Is.Null);
    }
}
