using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>Every validation error is an <see cref="ArgumentException"/> that says what is wrong.</summary>
[TestFixture]
public sealed class ValidationTests
{
    private static ArgumentException Batch(Tensor logits, Tensor labels, MetricsOptions? options = null) =>
        Assert.Throws<ArgumentException>(() => LearningDynamics.GetBatchLogps(logits, labels, options: options))!;

    [Test]
    public void LogitsOfWrongRank()
    {
        using var logits = randn(4, 10);
        using var labels = zeros(new long[] { 4, 10 }, ScalarType.Int64);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain("logits").And.Contain("rank 3"));
        Assert.That(ex.ParamName, Is.EqualTo("logits"));
    }

    [Test]
    public void LabelsOfWrongRank()
    {
        using var logits = randn(2, 4, 10);
        using var labels = zeros(new long[] { 8 }, ScalarType.Int64);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain("labels").And.Contain("rank 2"));
    }

    [Test]
    public void ShapeMismatch([Values(0, 1)] int axis)
    {
        using var logits = randn(2, 4, 10);
        using var labels = axis == 0 ? zeros(new long[] { 3, 4 }, ScalarType.Int64) : zeros(new long[] { 2, 5 }, ScalarType.Int64);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain("disagree on [B, T]").And.Contain("[2, 4, 10]"));
    }

    [Test]
    public void NonLongLabels([Values(ScalarType.Int32, ScalarType.Float32)] ScalarType dtype)
    {
        using var logits = randn(1, 4, 10);
        using var labels = zeros(new long[] { 1, 4 }, dtype);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain("int64").And.Contain(dtype.ToString()));
        Assert.That(ex.ParamName, Is.EqualTo("labels"));
    }

    [Test]
    public void NonFloatLogits()
    {
        using var logits = zeros(new long[] { 1, 4, 10 }, ScalarType.Int64);
        using var labels = zeros(new long[] { 1, 4 }, ScalarType.Int64);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain("logits must be float32"));
    }

    [TestCase(10L, TestName = "LabelEqualToV")]
    [TestCase(11L, TestName = "LabelAboveV")]
    [TestCase(-1L, TestName = "LabelMinusOne")]
    [TestCase(-101L, TestName = "LabelBelowMinus100")]
    public void LabelOutOfRange(long bad)
    {
        using var logits = randn(2, 4, 10);
        using var labels = zeros(new long[] { 2, 4 }, ScalarType.Int64);
        labels[1, 2] = tensor(bad);
        var ex = Batch(logits, labels);
        Assert.That(ex.Message, Does.Contain($"labels[1, 2] = {bad}").And.Contain("[0, 10)").And.Contain("-100"));
    }

    [Test]
    public void FirstLabelColumnIsNeverScoredNorChecked()
    {
        using var logits = randn(1, 4, 10);
        using var labels = tensor(new long[] { -1, 9, 3, 0 }, new long[] { 1, 4 });
        Assert.That(LearningDynamics.GetBatchLogps(logits, labels).ValidTokens, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void MinusHundredIsAccepted()
    {
        using var logits = randn(1, 4, 10);
        using var labels = tensor(new long[] { -100, 9, -100, 0 }, new long[] { 1, 4 });
        Assert.That(LearningDynamics.GetBatchLogps(logits, labels).ValidTokens, Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void NonPositiveChunkSize([Values(0, -3)] int chunk)
    {
        using var logits = randn(1, 4, 10);
        using var labels = zeros(new long[] { 1, 4 }, ScalarType.Int64);
        var ex = Batch(logits, labels, new MetricsOptions { ChunkSize = chunk });
        Assert.That(ex.Message, Does.Contain("ChunkSize"));
    }

    [Test]
    public void AccumulatorChecks()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new LearningDynamicsAccumulator(0))!.Message, Does.Contain("vocabSize"));
        using var acc = new LearningDynamicsAccumulator(10);
        using var good = randn(3, 10);
        using var goodLabels = tensor(new long[] { 1, 2, 3 });
        using var wrongV = randn(3, 11);
        using var rank3 = randn(1, 3, 10);
        using var shortLabels = tensor(new long[] { 1, 2 });
        using var intLabels = tensor(new int[] { 1, 2, 3 });
        using var badLabel = tensor(new long[] { 1, 10, 3 });
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => acc.Add(wrongV, goodLabels))!.Message, Does.Contain("V = 11").And.Contain("V = 10"));
            Assert.That(Assert.Throws<ArgumentException>(() => acc.Add(rank3, goodLabels))!.Message, Does.Contain("rank 2"));
            Assert.That(Assert.Throws<ArgumentException>(() => acc.Add(good, shortLabels))!.Message, Does.Contain("2 positions").And.Contain("3"));
            Assert.That(Assert.Throws<ArgumentException>(() => acc.Add(good, intLabels))!.Message, Does.Contain("int64"));
            Assert.That(Assert.Throws<ArgumentException>(() => acc.Add(good, badLabel))!.Message, Does.Contain("labels[1] = 10"));
        });
        // Nothing was added by the failed calls.
        Assert.That(acc.Positions, Is.EqualTo(0));
        acc.Add(good, goodLabels);
        Assert.That(acc.ValidTokens, Is.EqualTo(3));
    }

    [Test]
    public void DisposedAccumulatorThrows()
    {
        var acc = new LearningDynamicsAccumulator(4);
        acc.Dispose();
        Assert.Throws<ObjectDisposedException>(() => acc.GetResult());
    }

    [Test]
    public void SampleTypesOfWrongLength()
    {
        using var logits = randn(2, 4, 10);
        using var labels = zeros(new long[] { 2, 4 }, ScalarType.Int64);
        var ex = Assert.Throws<ArgumentException>(() => LearningDynamics.AnalyzeLearningDynamics(logits, labels, ["chosen"]))!;
        Assert.That(ex.Message, Does.Contain("sampleTypes has 1 entries but the batch has 2 rows"));
        ex = Assert.Throws<ArgumentException>(() => LearningDynamics.AnalyzeLearningDynamics(logits, labels, ["chosen", ""]))!;
        Assert.That(ex.Message, Does.Contain("sampleTypes[1]"));
    }
}
