using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Scoring;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics;
using OrzDynamic.Tests;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Scoring;

public sealed class SequenceScorerTests
{
    private static void AssertSame(SequenceMetrics actual, SequenceMetrics expected, double tol, string what)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.ValidTokens, Is.EqualTo(expected.ValidTokens), what);
            Assert.That(actual.ArgmaxMatches, Is.EqualTo(expected.ArgmaxMatches), what);
            Assert.That(actual.LabelsArgmax, Is.EqualTo(expected.LabelsArgmax), what);
            Assert.That(actual.AverageLogProb, Is.EqualTo(expected.AverageLogProb), what);
            foreach (var (name, a, e) in new[]
            {
                ("OutToken", actual.OutToken, expected.OutToken), ("OutArgmax", actual.OutArgmax, expected.OutArgmax),
                ("OutExceptArgmax", actual.OutExceptArgmax, expected.OutExceptArgmax), ("ANorm", actual.ANorm, expected.ANorm),
                ("ProbGap2Mean", actual.ProbGap2Mean, expected.ProbGap2Mean), ("ProbEnergy", actual.ProbEnergy, expected.ProbEnergy),
                ("ArgmaxMatchRate", actual.ArgmaxMatchRate, expected.ArgmaxMatchRate), ("MeanProbNorm", actual.MeanProbNorm, expected.MeanProbNorm),
            })
            {
                if (double.IsNaN(e)) Assert.That(a, Is.NaN, $"{what} {name}");
                else Assert.That(a, Is.EqualTo(e).Within(tol * Math.Max(1, Math.Abs(e))), $"{what} {name}");
            }
        });
    }

    [TestCase(null, 0.0)]
    [TestCase(7, 1e-5)]
    [TestCase(1, 1e-5)]
    public void ChunkedScoringEqualsGetBatchLogpsOnFullLogits(int? chunk, double tol)
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { ModelType = "qwen2", VocabSize = 300, TieWordEmbeddings = false }.Write(tmp.Sub("c"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(5);
        var ids = randint(0, 300, [3, 150], ScalarType.Int64, generator: g);
        var labels = ids.clone();
        labels[0].narrow(0, 0, 40).fill_(-100); // prompt part masked
        labels[2].narrow(0, 100, 50).fill_(-100); // right padding
        labels[1].narrow(0, 70, 5).fill_(-100);
        using var full = model.Forward(ids);
        foreach (var avg in new[] { false, true })
        {
            var expected = LearningDynamics.GetBatchLogps(full.Logits!, labels, avg);
            var scorer = new SequenceScorer(model, positionChunk: chunk);
            var actual = scorer.ScoreBatch(ids, labels, averageLogProb: avg);
            for (var r = 0; r < 3; r++) AssertSame(actual.Rows[r], expected.Rows[r], tol, $"row {r} avg={avg}");
            var single = scorer.Score(ids[1].data<long>().Select(x => (int)x).ToArray(), labels[1].data<long>().ToArray(), avg);
            AssertSame(single, expected.Rows[1], tol, "single-sequence overload");
        }
    }

    [Test]
    public void LeftPaddedBatchScoresLikeUnpaddedRows()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { ModelType = "llama" }.Write(tmp.Sub("c"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var scope = NewDisposeScope();
        int[] a = [5, 9, 17, 3, 80, 44, 12, 7], b = [1, 2, 3, 4, 5];
        var scorer = new SequenceScorer(model);
        var sa = scorer.Score(a, a.Select(x => (long)x).ToArray());
        var sb = scorer.Score(b, b.Select(x => (long)x).ToArray());
        var ids = tensor(a.Concat(new[] { 0, 0, 0 }.Concat(b)).Select(x => (long)x).ToArray(), [2, 8]);
        var labels = ids.clone();
        labels[1].narrow(0, 0, 4).fill_(-100); // padding, and the first real token (nothing predicts it)
        var mask = ones(2, 8, ScalarType.Int64);
        mask[1].narrow(0, 0, 3).fill_(0);
        var batch = scorer.ScoreBatch(ids, labels, mask);
        AssertSame(batch.Rows[0], sa, 1e-5, "row 0");
        AssertSame(batch.Rows[1] with { LabelsArgmax = batch.Rows[1].LabelsArgmax[3..] }, sb, 1e-5, "row 1");
    }

    [Test]
    public void Stories260KScoringMatchesMetricsOnReferenceLogits()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var reference = OrzDynamic.Metrics.SafeTensors.SafeTensorsFile.Open(Path.Combine(dir, "reference_logits.safetensors"));
        using var scope = NewDisposeScope();
        var ids = reference.Load("input_ids_2").view(1, -1);
        var refLogits = reference.Load("logits_2").view(1, ids.shape[1], -1);
        var expected = LearningDynamics.GetBatchLogps(refLogits, ids).Rows[0];
        var actual = new SequenceScorer(model).ScoreBatch(ids, ids).Rows[0];
        // Reference logits agree within 1.2e-4; the sums over 255 positions agree to ~1e-4 relative.
        AssertSame(actual with { LabelsArgmax = expected.LabelsArgmax }, expected, 1e-4, "stories260K");
        var argmaxAgreement = actual.LabelsArgmax.Zip(expected.LabelsArgmax).Count(p => p.First == p.Second);
        Assert.That(argmaxAgreement, Is.GreaterThanOrEqualTo(expected.LabelsArgmax.Length - 1));
    }

    [Test]
    public void BadInputIsRejected()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder().Write(tmp.Sub("c"));
        using var model = CheckpointLoader.Load(dir);
        var scorer = new SequenceScorer(model);
        Assert.Throws<ArgumentException>(() => scorer.Score([1, 2, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => scorer.Score([1, 2, 3], [1, 2, 500]));
        Assert.Throws<ArgumentException>(() => scorer.Score([1, 2, 96], [1, 2, 3]));
    }
}
