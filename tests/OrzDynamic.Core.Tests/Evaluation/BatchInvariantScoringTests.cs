using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>
/// A response's metrics must not depend on which other responses are scored in the same call (so a resumed run, which
/// scores a different set of leftovers, reproduces the uninterrupted run's records bit for bit). Checked on the trained
/// demo checkpoint in float32 and bfloat16, for every metric field and every per-token trace, bitwise.
/// </summary>
[TestFixture]
public sealed class BatchInvariantScoringTests
{
    private static readonly (string Prompt, string Response)[] Texts =
    [
        ("What is 2 + 3?", " <think> 2 + 3 = 5 </think> <answer> \\boxed{5} </answer>"),
        ("Tom has 41 apples and gets 7 more. How many apples does he have?", " <think> 41 + 7 = 48 </think> <answer> \\boxed{48} </answer>"),
        ("Compute 7 times 6 please, now.", " 42"),
        ("Sara had 86 coins and lost 5. How many are left?", " <think> 86 - 5 = 81 </think> <answer> \\boxed{81} </answer> and some more words to make this one the longest of the set"),
    ];

    private static void AssertBitIdentical(ScoredResponse actual, ScoredResponse expected, string what)
    {
        var a = actual.Metrics;
        var e = expected.Metrics;
        Assert.Multiple(() =>
        {
            foreach (var (name, x, y) in new[]
            {
                ("OutToken", a.OutToken, e.OutToken), ("OutArgmax", a.OutArgmax, e.OutArgmax), ("OutExceptArgmax", a.OutExceptArgmax, e.OutExceptArgmax),
                ("MeanProbNorm", a.MeanProbNorm, e.MeanProbNorm), ("ANorm", a.ANorm, e.ANorm), ("ProbGap2Mean", a.ProbGap2Mean, e.ProbGap2Mean),
                ("ProbEnergy", a.ProbEnergy, e.ProbEnergy), ("ArgmaxMatchRate", a.ArgmaxMatchRate, e.ArgmaxMatchRate),
            })
                Assert.That(BitConverter.DoubleToInt64Bits(x), Is.EqualTo(BitConverter.DoubleToInt64Bits(y)), $"{what}: {name} {x:R} vs {y:R}");
            Assert.That(a.ValidTokens, Is.EqualTo(e.ValidTokens), what);
            Assert.That(a.LabelsArgmax, Is.EqualTo(e.LabelsArgmax), what);
            Assert.That(actual.Traces, Has.Count.EqualTo(expected.Traces.Count), what);
            for (var i = 0; i < expected.Traces.Count; i++)
                Assert.That(actual.Traces[i], Is.EqualTo(expected.Traces[i]), $"{what}: trace {i}");
        });
    }

    [TestCase("float32")]
    [TestCase("bfloat16")]
    public void MetricsOfAResponseDoNotDependOnItsBatchCompanions(string dtype)
    {
        var dir = DemoPaths.CheckpointDirectories[^1].Path;
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ModelLoadOptions.ParseDType(dtype) });
        var tokenizer = HfTokenizer.FromDirectory(dir);
        using var scope = NewDisposeScope();
        var pairs = Texts.Select(t => ((IReadOnlyList<int>)tokenizer.Encode(t.Prompt), (IReadOnlyList<int>)tokenizer.Encode(t.Response))).ToArray();
        var config = new EvaluatorConfig { ModelPath = dir, OutputDir = "unused", ScoringChunkSize = 8 };
        var scorer = new ResponseScorer(model, tokenizer, config);

        var alone = pairs.Select(p => scorer.Score([p])[0]).ToArray();
        var together = scorer.Score(pairs);
        var reversed = scorer.Score(pairs.Reverse().ToArray()).Reverse().ToArray();
        var withRepeats = scorer.Score([pairs[3], pairs[1], pairs[3], pairs[0]]);
        for (var i = 0; i < pairs.Length; i++)
        {
            Assert.That(alone[i].Metrics.ValidTokens, Is.EqualTo(pairs[i].Item2.Count), $"pair {i} scored");
            Assert.That(double.IsFinite(alone[i].Metrics.OutToken), Is.True, $"pair {i} finite");
            AssertBitIdentical(together[i], alone[i], $"{dtype} pair {i} in a batch of 4");
            AssertBitIdentical(reversed[i], alone[i], $"{dtype} pair {i} in reversed order");
        }
        AssertBitIdentical(withRepeats[0], alone[3], $"{dtype} pair 3 with other companions");
        AssertBitIdentical(withRepeats[2], alone[3], $"{dtype} pair 3 repeated");
        AssertBitIdentical(withRepeats[1], alone[1], $"{dtype} pair 1 with other companions");
        AssertBitIdentical(withRepeats[3], alone[0], $"{dtype} pair 0 with other companions");
    }
}
