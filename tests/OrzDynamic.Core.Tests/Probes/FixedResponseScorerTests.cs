using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;
using OrzDynamic.Core.Tests.Evaluation;

namespace OrzDynamic.Core.Tests.Probes;

/// <summary>
/// Answer probes on the tiny fixture checkpoints: the reference checkpoint (iter10) generates answers, every checkpoint
/// scores them teacher-forced. Checks agreement with the custom-sentence path, resume, and bad input.
/// </summary>
[TestFixture]
[NonParallelizable]
public class FixedResponseScorerTests
{
    private EvalFixture _fx = null!;
    private string _refDir = "";
    private IReadOnlyList<ProbeItem> _items = [];
    private IReadOnlyList<ProbeCheckpoint> _checkpoints = [];

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _fx = new EvalFixture();
        _refDir = Path.Combine(_fx.Root, "ref", "iter10");
        await using (var evaluator = new Evaluator(_fx.Config(1, _refDir) with { CustomSentenceFiles = [], EnableVisualization = false, DoSample = false }))
            await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        _items = ReferenceAnswers.Load(_refDir).Items;
        _checkpoints = [new ProbeCheckpoint("iter0", _fx.Checkpoints[0], 0), new ProbeCheckpoint("iter10", _fx.Checkpoints[1], 10)];
    }

    [OneTimeTearDown]
    public void TearDown() => _fx.Dispose();

    private string Out(string name) => Path.Combine(_fx.Root, "probe-" + name + "-" + Guid.NewGuid().ToString("N")[..6]);

    [Test]
    public void ReferenceAnswers_AreTheGeneratedTokenIdsInDatasetIndexOrder()
    {
        var records = File.ReadAllLines(Path.Combine(_refDir, OutputLayout.Journal))
            .Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).ToArray();
        Assert.That(records, Has.Length.EqualTo(7), "alpha has 4 samples, beta 3");
        Assert.That(_items, Has.Count.EqualTo(records.Length));
        Assert.That(_items.Select(i => i.Key), Is.EqualTo(records.OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.Index).Select(r => $"{r.Dataset}#{r.Index}")));
        foreach (var item in _items)
        {
            var r = records.Single(r => r.Dataset == item.Source && r.Index == item.Index);
            Assert.That(item.ResponseTokenIds, Is.EqualTo(r.TokenIds));
            Assert.That(item.Prompt, Is.EqualTo(r.Prompt));
            Assert.That(item.ReferenceCorrect, Is.EqualTo(r.IsCorrect));
        }
    }

    [Test]
    public async Task ProbeAtTheReferenceCheckpoint_ReproducesItsOwnMetrics()
    {
        var run = await new FixedResponseScorer(new ProbeOptions()).ScoreCheckpointsAsync([_checkpoints[1]], _items, Out("self"), "answers");
        var own = File.ReadAllLines(Path.Combine(_refDir, OutputLayout.Journal))
            .Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).ToDictionary(r => $"{r.Dataset}#{r.Index}");
        Assert.That(own, Has.Count.EqualTo(7));
        Assert.That(run.Records["iter10"].Select(p => p.Key), Is.EquivalentTo(own.Keys), "every reference answer probed once");
        foreach (var p in run.Records["iter10"])
        {
            var m = own[p.Key].LdMetrics!;
            Assert.That(p.LdMetrics!.ValidTokens, Is.EqualTo(m.ValidTokens), p.Key);
            // The evaluator scored these in right-padded batches; a batch of one may round differently in the last bits.
            Assert.That(p.LdMetrics.OutToken, Is.EqualTo(m.OutToken).Within(1e-3), p.Key);
            Assert.That(p.LdMetrics.ProbEnergy, Is.EqualTo(m.ProbEnergy).Within(1e-5), p.Key);
            Assert.That(p.LogProbs, Has.Count.EqualTo(p.TokenIds.Count));
            Assert.That(p.LogProbs.Sum(), Is.EqualTo(p.LdMetrics.OutToken).Within(1e-3));
        }
    }

    [Test]
    public async Task TextItems_EqualTheEvaluatorsCustomSentenceMetrics_AndAFullLogitsReference()
    {
        // The fixture's custom sentence file, scored by the evaluator at iter0 and as text probes at iter0.
        var customDir = Out("custom");
        await using (var evaluator = new Evaluator(new EvaluatorConfig { ModelPath = _fx.Checkpoints[0], CustomSentenceFiles = [_fx.CustomSentences], OutputDir = customDir, EnableVisualization = false }))
            await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        var lines = File.ReadAllLines(Path.Combine(customDir, OutputLayout.CustomSentences(Path.GetFileNameWithoutExtension(_fx.CustomSentences))))
            .Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var items = lines.Select(e => new ProbeItem
        {
            Source = "mine", Index = e.GetProperty("index").GetInt32(),
            Prompt = e.GetProperty("prompt").GetString()!, ResponseText = e.GetProperty("response").GetString(),
        }).ToArray();
        var run = await new FixedResponseScorer(new ProbeOptions()).ScoreCheckpointsAsync([_checkpoints[0]], items, Out("vs-custom"), "mine");
        Assert.That(lines, Has.Length.EqualTo(2), "the fixture's two custom sentences");
        Assert.That(run.Records["iter0"], Has.Count.EqualTo(lines.Length));

        // Both paths above score through ResponseScorer. The reference here does not: one plain forward pass over
        // prompt + response with every position's logits, the metrics from LearningDynamics.GetBatchLogps on them,
        // and out_token once more as a float64 sum of log-softmax at the response tokens.
        var tokenizer = HfTokenizer.FromDirectory(_fx.Checkpoints[0]);
        using var model = CheckpointLoader.Load(_fx.Checkpoints[0], new ModelLoadOptions { DType = TorchSharp.torch.ScalarType.Float32 });
        int compared = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var prompt = tokenizer.Encode(items[i].Prompt);
            var response = tokenizer.Encode(items[i].ResponseText!);
            var ids = prompt.Concat(response).Select(t => (long)t).ToArray();
            var labels = ids.Select((t, k) => k < prompt.Count ? LearningDynamics.IgnoreIndex : t).ToArray();
            using var full = model.Forward(TorchSharp.torch.tensor(ids, [1, ids.Length]));
            var reference = LdMetrics.From(LearningDynamics.GetBatchLogps(full.Logits!, TorchSharp.torch.tensor(labels, [1, labels.Length])).Rows[0]);
            var logp = TorchSharp.torch.nn.functional.log_softmax(full.Logits![0].to_type(TorchSharp.torch.ScalarType.Float64), 1).data<double>().ToArray();
            long vocab = full.Logits!.shape[2];
            double outToken = Enumerable.Range(prompt.Count, response.Count).Sum(k => logp[(k - 1) * vocab + ids[k]]);

            var probe = run.Records["iter0"][i].LdMetrics!;
            var custom = lines[i].GetProperty("ld_metrics").Deserialize<LdMetrics>(ResultsJournal.LineOptions)!;
            Assert.That(probe.ValidTokens, Is.EqualTo(response.Count), items[i].Key);
            Assert.That(probe.OutToken, Is.EqualTo(outToken).Within(1e-4 * Math.Max(1, Math.Abs(outToken))), $"{items[i].Key} out_token vs float64 log-softmax");
            foreach (var metric in LdMetricKeys.All)
            {
                var expected = reference.Get(metric);
                var within = Is.EqualTo(expected).Within(1e-5 * Math.Max(1, Math.Abs(expected)));
                Assert.That(probe.Get(metric), double.IsNaN(expected) ? Is.NaN : within, $"{items[i].Key} {metric}: probe vs full-logits reference");
                Assert.That(custom.Get(metric), double.IsNaN(expected) ? Is.NaN : within, $"{items[i].Key} {metric}: custom sentence vs full-logits reference");
                Assert.That(probe.Get(metric), Is.EqualTo(custom.Get(metric)).Within(1e-6), $"{items[i].Key} {metric}: probe vs custom sentence");
                compared++;
            }
        }
        Assert.That(compared, Is.EqualTo(2 * LdMetricKeys.All.Count));
    }

    [Test]
    public async Task KilledJournal_WithTornLine_ResumesToTheSameBytes()
    {
        var scorer = new FixedResponseScorer(new ProbeOptions());
        var full = Out("full");
        await scorer.ScoreCheckpointsAsync(_checkpoints, _items, full, "answers");
        var partial = Out("partial");
        foreach (var c in _checkpoints) Directory.CreateDirectory(Path.Combine(partial, c.Name));
        // iter0 complete, iter10: two whole lines and a torn third (what a SIGKILL mid-write leaves).
        File.Copy(Path.Combine(full, "iter0", OutputLayout.ProbeJournal("answers")), Path.Combine(partial, "iter0", OutputLayout.ProbeJournal("answers")));
        var lines = File.ReadAllLines(Path.Combine(full, "iter10", OutputLayout.ProbeJournal("answers")));
        File.WriteAllText(Path.Combine(partial, "iter10", OutputLayout.ProbeJournal("answers")), lines[0] + "\n" + lines[1] + "\n" + lines[2][..(lines[2].Length / 2)]);
        int scored = 0;
        var progress = new SyncProgress(_ => scored++);
        await scorer.ScoreCheckpointsAsync(_checkpoints, _items, partial, "answers", progress);
        foreach (var c in _checkpoints)
            Assert.That(File.ReadAllBytes(Path.Combine(partial, c.Name, OutputLayout.ProbeJournal("answers"))),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(full, c.Name, OutputLayout.ProbeJournal("answers")))), c.Name);
        Assert.That(scored, Is.EqualTo(2 + (_items.Count - 2)), "one initial report per checkpoint, then one per newly scored item");
    }

    [Test]
    public async Task ChangedItems_UnderAnExistingJournal_AreRefused()
    {
        var dir = Out("changed");
        var scorer = new FixedResponseScorer(new ProbeOptions());
        await scorer.ScoreCheckpointsAsync([_checkpoints[0]], _items, dir, "answers");
        var changed = _items.Select((it, i) => i == 1 ? it with { ResponseTokenIds = [.. it.ResponseTokenIds!, it.ResponseTokenIds![0]] } : it).ToArray();
        var ex = Assert.ThrowsAsync<ResultsFileException>(() => scorer.ScoreCheckpointsAsync([_checkpoints[0]], changed, dir, "answers"));
        Assert.That(ex!.Message, Does.Contain(_items[1].Key).And.Contain("fingerprint").And.Contain(OutputLayout.ProbeJournal("answers")));
    }

    [Test]
    public void TokenOutsideTheVocabulary_IsAProbeInputError()
    {
        var bad = new ProbeItem { Source = "x", Index = 3, Prompt = "What is 2 + 3?", ResponseTokenIds = [1, 2, 99999] };
        var ex = Assert.ThrowsAsync<ProbeInputException>(() => new FixedResponseScorer(new ProbeOptions()).ScoreCheckpointsAsync([_checkpoints[0]], [bad], Out("vocab"), "answers"));
        Assert.That(ex!.Message, Does.Contain("x#3").And.Contain("token_ids").And.Contain("99999"));
    }

    [Test]
    public void ReferenceWithoutResults_IsAProbeInputError()
    {
        var ex = Assert.Throws<ProbeInputException>(() => ReferenceAnswers.Load(Path.Combine(_fx.Root, "nowhere")));
        Assert.That(ex!.Message, Does.Contain("nowhere").And.Contain(OutputLayout.Journal));
        var ex2 = Assert.Throws<ProbeInputException>(() => ReferenceAnswers.Load(_refDir, ["gamma"]));
        Assert.That(ex2!.Message, Does.Contain("gamma"));
    }

    [Test]
    public void ReferenceMissingOneDataset_WarnsAndProbesTheOthers()
    {
        var (items, missing) = ReferenceAnswers.Load(_refDir, ["alpha", "gamma"]);
        Assert.That(missing, Is.EqualTo(new[] { "gamma" }));
        Assert.That(items.Select(i => i.Source).Distinct(), Is.EqualTo(new[] { "alpha" }));
    }

    [Test]
    public async Task Aggregate_SplitsByReferenceCorrectness_AndCsvRoundTrips()
    {
        var run = await new FixedResponseScorer(new ProbeOptions()).ScoreCheckpointsAsync(_checkpoints, _items, Out("agg"), "answers");
        var points = ProbeAggregator.Aggregate(run.Checkpoints.Select(c => (c, run.Records[c.Name])));
        var sources = _items.Select(i => i.Source).Distinct().ToArray();
        Assert.That(sources, Is.EquivalentTo(new[] { "alpha", "beta" }));
        foreach (var source in sources)
        {
            var all = points.Single(p => p.Source == source && p.Stratum == Strata.All && p.Metric == LdMetricKeys.OutToken && p.Iteration == 10);
            var expected = run.Records["iter10"].Where(r => r.Source == source && r.LdMetrics!.IsValid).Select(r => r.LdMetrics!.OutToken).Average();
            Assert.That(all.Mean, Is.EqualTo(expected).Within(1e-9));
            int correct = _items.Count(i => i.Source == source && i.ReferenceCorrect == true);
            var c = points.SingleOrDefault(p => p.Source == source && p.Stratum == Strata.Correct && p.Metric == LdMetricKeys.OutToken && p.Iteration == 0);
            Assert.That(c?.Count ?? 0, Is.EqualTo(correct));
        }
        var csv = Path.Combine(Out("csv"), "p.csv");
        ProbeAggregator.WriteCsv(points, csv);
        var rows = File.ReadAllLines(csv);
        Assert.That(rows[0], Is.EqualTo("source,stratum,metric,iteration,checkpoint,mean,std,count"));
        Assert.That(rows, Has.Length.EqualTo(points.Count + 1));
    }

    private sealed class SyncProgress(Action<ProbeProgress> report) : IProgress<ProbeProgress>
    {
        public void Report(ProbeProgress value) => report(value);
    }
}
