using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Probes;

/// <summary>
/// Acceptance of the answer probes on the committed demo checkpoints: the final checkpoint's (greedy) answers,
/// scored teacher-forced under iter0, iter1200 and iter2200, get more likely at each later checkpoint; and a probe
/// equals the custom-sentence score of the same (prompt, answer) pair.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DemoAnswerProbeTests
{
    private const string Dataset = "arith_demo";
    private TempDirectory? _output;
    private string _refDir = "";
    private IReadOnlyList<ProbeItem> _items = [];
    private ProbeRunResult _run = null!;
    private IReadOnlyList<ProbeCheckpoint> _checkpoints = [];

    [OneTimeSetUp]
    public async Task EvaluateLastThenProbeAll()
    {
        _output = new TempDirectory();
        var ckpts = DemoPaths.CheckpointDirectories;
        _checkpoints = ckpts.Select(c => new ProbeCheckpoint("iter" + c.Step, c.Path, c.Step)).ToArray();
        var last = _checkpoints[^1];
        _refDir = _output.Sub(last.Name);
        await using (var evaluator = new Evaluator(new EvaluatorConfig
        {
            ModelPath = last.ModelPath,
            EvalPromptData = [DemoPaths.EvalData],
            MaxEvalSamples = 30,
            DoSample = false,
            GenerateMaxLen = 64,
            BatchSize = 8,
            OutputDir = _refDir,
            EnableVisualization = false,
        }))
            await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        _items = ReferenceAnswers.Load(_refDir, [Dataset]).Items;
        _run = await new FixedResponseScorer(new ProbeOptions()).ScoreCheckpointsAsync(_checkpoints, _items, _output.Path, OutputLayout.AnswerSet(last.Name));
    }

    [OneTimeTearDown]
    public void Cleanup() => _output?.Dispose();

    [Test]
    public void FinalAnswers_GetMoreLikelyAtEachLaterCheckpoint()
    {
        Assert.That(_checkpoints.Select(c => c.Iteration), Is.EqualTo(new[] { 0, 1200, 2200 }));
        var points = ProbeAggregator.Aggregate(_checkpoints.Select(c => (c, _run.Records[c.Name])));
        double[] Series(string stratum, string metric) =>
            points.Where(p => p.Source == Dataset && p.Stratum == stratum && p.Metric == metric).OrderBy(p => p.Iteration).Select(p => p.Mean).ToArray();
        var outToken = Series(Strata.All, LdMetricKeys.OutToken);
        var energy = Series(Strata.All, LdMetricKeys.ProbEnergy);
        TestContext.Progress.WriteLine($"out_token {string.Join(" < ", outToken.Select(v => v.ToString("0.00")))}; prob_energy {string.Join(" > ", energy.Select(v => v.ToString("0.0000")))}");
        Assert.That(outToken, Has.Length.EqualTo(3));
        Assert.That(outToken[0], Is.LessThan(outToken[1]));
        Assert.That(outToken[1], Is.LessThan(outToken[2]));
        Assert.That(energy[0], Is.GreaterThan(energy[1]));
        Assert.That(energy[1], Is.GreaterThan(energy[2]));
        // Every checkpoint scored the same texts.
        Assert.That(_items, Has.Count.EqualTo(30));
        foreach (var c in _checkpoints)
            Assert.That(_run.Records[c.Name].Select(r => r.TokenIds), Is.EqualTo(_items.Select(i => i.ResponseTokenIds)));
    }

    [Test]
    public async Task ProbeMetrics_EqualTheCustomSentenceScoreOfPromptAndAnswer_AndAFullLogitsReference()
    {
        // (prompt, answer) written as a custom sentence file; the answer text re-encodes to the generated token ids.
        var tokenizer = HfTokenizer.FromDirectory(_checkpoints[^1].ModelPath);
        var pairs = _items.Select(i => (Item: i, Text: tokenizer.Decode(i.ResponseTokenIds!))).Where(p => tokenizer.Encode(p.Text).SequenceEqual(p.Item.ResponseTokenIds!)).ToArray();
        Assert.That(_checkpoints.Select(c => c.Name), Is.EqualTo(new[] { "iter0", "iter1200", "iter2200" }));
        Assert.That(_items, Has.Count.EqualTo(30));
        Assert.That(pairs, Has.Length.GreaterThanOrEqualTo(_items.Count / 2), "most demo answers survive decode + encode");
        var file = Path.Combine(_output!.Path, "answers_as_sentences.jsonl");
        File.WriteAllLines(file, pairs.Select(p => JsonSerializer.Serialize(new { prompt = p.Item.Prompt, response = p.Text })));
        foreach (var c in _checkpoints)
        {
            var dir = _output.Sub("custom-" + c.Name);
            await using (var evaluator = new Evaluator(new EvaluatorConfig { ModelPath = c.ModelPath, CustomSentenceFiles = [file], OutputDir = dir, EnableVisualization = false }))
                await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
            var custom = File.ReadAllLines(Path.Combine(dir, OutputLayout.CustomSentences("answers_as_sentences")))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ld_metrics").Deserialize<LdMetrics>(ResultsJournal.LineOptions)!).ToArray();
            var probes = _run.Records[c.Name].ToDictionary(r => r.Key);
            Assert.That(custom, Has.Length.EqualTo(pairs.Length), $"{c.Name}: one custom-sentence line per pair");

            // Probe and custom sentence both score through ResponseScorer; the reference does not: one plain forward
            // pass over prompt + answer with every position's logits, metrics from LearningDynamics.GetBatchLogps.
            using var model = CheckpointLoader.Load(c.ModelPath, new ModelLoadOptions { DType = TorchSharp.torch.ScalarType.Float32 });
            for (int i = 0; i < pairs.Length; i++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var prompt = tokenizer.Encode(pairs[i].Item.Prompt);
                var ids = prompt.Concat(pairs[i].Item.ResponseTokenIds!).Select(t => (long)t).ToArray();
                var labels = ids.Select((t, k) => k < prompt.Count ? LearningDynamics.IgnoreIndex : t).ToArray();
                using var full = model.Forward(TorchSharp.torch.tensor(ids, [1, ids.Length]));
                LdMetrics reference = LearningDynamics.GetBatchLogps(full.Logits!, TorchSharp.torch.tensor(labels, [1, labels.Length])).Rows[0];
                var probe = probes[pairs[i].Item.Key].LdMetrics!;
                Assert.That(probe.ValidTokens, Is.EqualTo(pairs[i].Item.ResponseTokenIds!.Count), $"{c.Name} {pairs[i].Item.Key}");
                foreach (var metric in LdMetricKeys.All)
                {
                    var expected = reference.Get(metric);
                    var within = Is.EqualTo(expected).Within(1e-5 * Math.Max(1, Math.Abs(expected)));
                    Assert.That(probe.Get(metric), double.IsNaN(expected) ? Is.NaN : within, $"{c.Name} {pairs[i].Item.Key} {metric}: probe vs full-logits reference");
                    Assert.That(custom[i].Get(metric), double.IsNaN(expected) ? Is.NaN : within, $"{c.Name} {pairs[i].Item.Key} {metric}: custom sentence vs full-logits reference");
                    Assert.That(probe.Get(metric), Is.EqualTo(custom[i].Get(metric)).Within(1e-6), $"{c.Name} {pairs[i].Item.Key} {metric}");
                }
            }
        }
    }
}
