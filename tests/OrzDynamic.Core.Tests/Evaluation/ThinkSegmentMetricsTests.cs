using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>
/// The think and answer segments of a response: found at &lt;/think&gt;, scored in the same pass as the whole response,
/// and equal to the metrics recomputed from the full logits with only the segment's labels kept.
/// </summary>
[TestFixture]
public class ThinkSegmentMetricsTests
{
    private EvalFixture _fx = null!;
    private CausalLM _model = null!;
    private HfTokenizer _tokenizer = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _fx = new EvalFixture();
        _model = CheckpointLoader.Load(_fx.Checkpoints[0]);
        _tokenizer = HfTokenizer.FromDirectory(_fx.Checkpoints[0]);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _model.Dispose();
        _fx.Dispose();
    }

    [Test]
    public void SegmentTokenCountsAddUpToAllAndEqualIndependentRecomputation()
    {
        using var scope = NewDisposeScope();
        const string promptText = "What is 7 times 6?\nAssistant: <think>";
        var prompt = _tokenizer.Encode(promptText);
        var response = _tokenizer.Encode(" 7 * 6 = 42 </think> <answer> \\boxed{42} </answer>");
        var segments = ThinkSegmentScoring.Find(response, promptText, _tokenizer);
        Assert.That(segments.Status, Is.EqualTo(ThinkSegmentStatus.Closed));
        var spans = ThinkSegmentScoring.Spans(segments, response.Count)!;

        var config = new EvaluatorConfig { ModelPath = _fx.Checkpoints[0], OutputDir = "unused", ScoringChunkSize = 5 };
        var scored = new ResponseScorer(_model, _tokenizer, config).Score([(prompt, response)], default, [spans])[0];
        var record = ThinkSegmentScoring.Record(segments, scored, response.Count);
        var all = LdMetrics.From(scored.Metrics);
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo(ThinkSegmentRecord.Closed));
            Assert.That(record.LdMetricsThink!.ValidTokens + record.LdMetricsAnswer!.ValidTokens, Is.EqualTo(all.ValidTokens));
            Assert.That(all.ValidTokens, Is.EqualTo(response.Count));
            Assert.That(record.LdMetricsThink.ValidTokens, Is.GreaterThan(0));
            Assert.That(record.LdMetricsAnswer.ValidTokens, Is.GreaterThan(0));
            Assert.That(record.Think![0] + record.Think[1], Is.EqualTo(record.Answer![0]));
            // Sums add up too: the log-probability of the response is the think part plus the answer part.
            Assert.That(record.LdMetricsThink.OutToken + record.LdMetricsAnswer.OutToken, Is.EqualTo(all.OutToken).Within(1e-3));
        });

        // Independent check: full logits of one plain forward, labels outside the segment masked.
        using var grad = no_grad();
        var ids = prompt.Concat(response).Select(i => (long)i).ToArray();
        var logits = _model.Forward(tensor(ids, [1, ids.Length]), logits: LogitsMode.AllPositions).Logits!;
        foreach (var (span, got) in new[] { (spans[0], record.LdMetricsThink!), (spans[1], record.LdMetricsAnswer!) })
        {
            var labels = ids.Select((id, i) => i >= prompt.Count + span.Start && i < prompt.Count + span.End ? id : LearningDynamics.IgnoreIndex).ToArray();
            var expected = LearningDynamics.GetBatchLogps(logits, tensor(labels, [1, ids.Length])).Rows[0];
            Assert.Multiple(() =>
            {
                Assert.That(got.ValidTokens, Is.EqualTo(span.Length));
                Assert.That(got.ValidTokens, Is.EqualTo(expected.ValidTokens));
                Assert.That(got.OutToken, Is.EqualTo(expected.OutToken).Within(1e-3));
                Assert.That(got.OutArgmax, Is.EqualTo(expected.OutArgmax).Within(1e-3));
                Assert.That(got.ANorm, Is.EqualTo(expected.ANorm).Within(1e-3));
                Assert.That(got.ProbGap2Mean, Is.EqualTo(expected.ProbGap2Mean).Within(1e-5));
                Assert.That(got.ProbEnergy, Is.EqualTo(expected.ProbEnergy).Within(1e-5));
                Assert.That(got.ArgmaxMatchRate, Is.EqualTo(expected.ArgmaxMatchRate).Within(1e-9));
            });
        }
    }

    [TestCase(" 7 * 6 = 42 <answer> 42 </answer>", "What is 7 times 6?\nAssistant: <think>", ThinkSegmentRecord.Unclosed)]
    [TestCase(" The answer is 42.", "What is 7 times 6?\nAssistant:", ThinkSegmentRecord.Missing)]
    public void ResponsesWithoutCloseTagAreCountedNotSplit(string responseText, string promptText, string status)
    {
        var response = _tokenizer.Encode(responseText);
        var segments = ThinkSegmentScoring.Find(response, promptText, _tokenizer);
        Assert.That(ThinkSegmentScoring.Spans(segments, response.Count), Is.Null);
        var config = new EvaluatorConfig { ModelPath = _fx.Checkpoints[0], OutputDir = "unused" };
        var scored = new ResponseScorer(_model, _tokenizer, config).Score([(_tokenizer.Encode(promptText), response)])[0];
        var record = ThinkSegmentScoring.Record(segments, scored, response.Count);
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo(status));
            Assert.That(record.LdMetricsThink, Is.Null);
            Assert.That(record.LdMetricsAnswer, Is.Null);
        });

        var acc = new DatasetAccumulator("ds");
        acc.Add(new SampleRecord { Dataset = "ds", Output = "x", LdMetrics = LdMetrics.From(scored.Metrics), ThinkSegments = record });
        var result = acc.ToResult();
        var flat = new EvalResults { Checkpoint = "c", Datasets = new Dictionary<string, DatasetResult> { ["ds"] = result } };
        Assert.Multiple(() =>
        {
            Assert.That(flat[$"ds/think_{status}"], Is.EqualTo(1));
            Assert.That(flat["ds/think_closed"], Is.EqualTo(0));
            Assert.That(flat["ds/ld_incorrect/think/count"], Is.EqualTo(0));
            Assert.That(flat["ds/ld_incorrect/count"], Is.EqualTo(1));
        });
    }
}
