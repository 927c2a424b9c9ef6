using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>
/// The Python tool scores a custom sentence with one forward per response token (the prefix up to that token);
/// OrzDynamic does one teacher-forced pass. These tests prove both see the same logits and give the same metrics.
/// </summary>
[TestFixture]
public class CustomSentenceScoringTests
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
    public void TeacherForcedPassEqualsPerPositionAutoregressiveForwards()
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var prompt = _tokenizer.Encode("What is 2 + 3?");
        var response = _tokenizer.Encode(" <think> 2 + 3 = 5 </think> <answer> \\boxed{5} </answer>");
        var ids = prompt.Concat(response).Select(i => (long)i).ToArray();
        int t = ids.Length;

        // Teacher-forced: one pass over the whole sequence.
        var full = _model.Forward(tensor(ids, [1, t]), logits: LogitsMode.AllPositions).Logits!;

        // Autoregressive, as the Python tool does: for every response token, a fresh forward over its prefix.
        var perStep = new List<Tensor>();
        for (int pos = prompt.Count; pos < t; pos++)
            perStep.Add(_model.Forward(tensor(ids[..pos], [1, pos]), logits: LogitsMode.LastPosition).Logits!.reshape(1, -1));
        var stepLogits = cat(perStep, 0);                        // [response, V], row k predicts ids[prompt + k]
        var tfLogits = full[0].narrow(0, prompt.Count - 1, response.Count);
        Assert.That((stepLogits - tfLogits).abs().max().item<float>(), Is.LessThan(1e-4f));

        // Metrics of the evaluator's custom-sentence path == metrics of the autoregressive logits.
        var config = new EvaluatorConfig { ModelPath = _fx.Checkpoints[0], CustomSentenceFiles = [_fx.CustomSentences], OutputDir = "unused" };
        var scored = new ResponseScorer(_model, _tokenizer, config).Score([(prompt, response)])[0].Metrics;
        var padded = cat([zeros(prompt.Count - 1, stepLogits.shape[1]), stepLogits, zeros(1, stepLogits.shape[1])], 0).unsqueeze(0);
        var labels = ids.Select((id, i) => i < prompt.Count ? LearningDynamics.IgnoreIndex : id).ToArray();
        var expected = LearningDynamics.GetBatchLogps(padded, tensor(labels, [1, t])).Rows[0];
        Assert.Multiple(() =>
        {
            Assert.That(scored.ValidTokens, Is.EqualTo(response.Count));
            Assert.That(scored.OutToken, Is.EqualTo(expected.OutToken).Within(1e-3));
            Assert.That(scored.OutArgmax, Is.EqualTo(expected.OutArgmax).Within(1e-3));
            Assert.That(scored.ANorm, Is.EqualTo(expected.ANorm).Within(1e-3));
            Assert.That(scored.ProbGap2Mean, Is.EqualTo(expected.ProbGap2Mean).Within(1e-5));
            Assert.That(scored.ProbEnergy, Is.EqualTo(expected.ProbEnergy).Within(1e-5));
        });
    }

    [Test]
    public void RightPaddedBatchScoresEqualSingleScores()
    {
        var config = new EvaluatorConfig { ModelPath = _fx.Checkpoints[0], OutputDir = "unused", ScoringChunkSize = 5 };
        var scorer = new ResponseScorer(_model, _tokenizer, config);
        var pairs = new (IReadOnlyList<int>, IReadOnlyList<int>)[]
        {
            (_tokenizer.Encode("What is 2 + 3?"), _tokenizer.Encode(" 5")),
            (_tokenizer.Encode("Compute 7 times 6 please, now."), _tokenizer.Encode(" <think> 7 * 6 = 42 </think> <answer> \\boxed{42} </answer>")),
        };
        var batch = scorer.Score(pairs);
        for (int i = 0; i < pairs.Length; i++)
        {
            var single = scorer.Score([pairs[i]])[0];
            Assert.That(batch[i].Metrics.OutToken, Is.EqualTo(single.Metrics.OutToken).Within(1e-4));
            Assert.That(batch[i].Metrics.ValidTokens, Is.EqualTo(pairs[i].Item2.Count));
            Assert.That(batch[i].Traces, Has.Count.EqualTo(pairs[i].Item1.Count + pairs[i].Item2.Count - 1));
        }
    }
}
