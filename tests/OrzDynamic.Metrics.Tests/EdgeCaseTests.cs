using NUnit.Framework;
using OrzDynamic.Metrics.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>M = 0, T = 1, extreme logits, hand-checked values.</summary>
[TestFixture]
public sealed class EdgeCaseTests
{
    [Test]
    public void AllMaskedRowHasZeroSumsAndNaNMeans([Values] bool averageLogProb)
    {
        using var logits = randn(2, 5, 11);
        using var labels = full(new long[] { 2, 5 }, -100L, ScalarType.Int64);
        labels[1, 3] = tensor(4L);
        var r = LearningDynamics.GetBatchLogps(logits, labels, averageLogProb);
        var empty = r.Rows[0];
        Assert.Multiple(() =>
        {
            Assert.That(empty.ValidTokens, Is.EqualTo(0));
            Assert.That(empty.LabelsArgmax, Has.Length.EqualTo(4));
            if (averageLogProb)
            {
                Assert.That(empty.OutToken, Is.NaN);
                Assert.That(empty.OutArgmax, Is.NaN);
                Assert.That(empty.OutExceptArgmax, Is.NaN);
            }
            else
            {
                Assert.That(empty.OutToken, Is.EqualTo(0.0));
                Assert.That(empty.OutArgmax, Is.EqualTo(0.0));
                Assert.That(empty.OutExceptArgmax, Is.EqualTo(0.0));
            }
            Assert.That(empty.ANorm, Is.NaN);
            Assert.That(empty.ProbGap2Mean, Is.NaN);
            Assert.That(empty.ProbEnergy, Is.NaN);
            Assert.That(empty.ArgmaxMatchRate, Is.NaN);
            Assert.That(empty.MeanProbNorm, Is.NaN);
            Assert.That(r.Rows[1].ValidTokens, Is.EqualTo(1));
            Assert.That(r.Rows[1].ProbEnergy, Is.Not.NaN);
        });
    }

    [Test]
    public void LegacyClampsKeepNaNForEmptyRows()
    {
        using var logits = randn(1, 3, 7);
        using var labels = full(new long[] { 1, 3 }, -100L, ScalarType.Int64);
        var r = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { LegacyOrzClamps = true });
        Assert.That(r.Rows[0].ANorm, Is.NaN);
    }

    [Test]
    public void SingleTimeStepHasNoPositions()
    {
        using var logits = randn(3, 1, 5);
        using var labels = tensor(new long[] { 1, 2, 3 }, new long[] { 3, 1 });
        var r = LearningDynamics.GetBatchLogps(logits, labels);
        Assert.That(r.ValidTokens, Is.EqualTo(new long[] { 0, 0, 0 }));
        Assert.That(r.LabelsArgmax.Select(a => a.Length), Is.EqualTo(new[] { 0, 0, 0 }));
        Assert.That(r.OutToken, Is.EqualTo(new[] { 0.0, 0.0, 0.0 }));
    }

    [Test]
    public void EmptyAccumulatorReportsNoTokens()
    {
        using var acc = new LearningDynamicsAccumulator(10);
        var r = acc.GetResult();
        Assert.That(acc.ValidTokens, Is.EqualTo(0));
        Assert.That(acc.LabelsArgmax, Is.Empty);
        Assert.That(r.OutToken, Is.EqualTo(0.0));
        Assert.That(r.ANorm, Is.NaN);
    }

    /// <summary>
    /// Logits [0, −200, −300]: every non-max exponential underflows in float32, yet log(1 − p_max) must be the exact
    /// log(e^−200 + e^−300) − log(1 + e^−200 + e^−300) ≈ −200, not −inf (exercises the second-max fallback).
    /// </summary>
    [Test]
    public void LogOneMinusPMaxIsExactWhenEveryOtherProbabilityUnderflows([Values] MetricsPrecision precision)
    {
        using var logits = tensor(new float[] { 0f, -200f, -300f, 5f, 1f, 0f }, new long[] { 2, 3 });
        using var labels = tensor(new long[] { 1, 0 });
        using var acc = new LearningDynamicsAccumulator(3, new MetricsOptions { Precision = precision, CollectTokenTraces = true });
        acc.Add(logits, labels);
        var r = acc.GetResult();
        var traces = acc.GetTokenTraces();
        Close.Check(traces[0].LogOneMinusProbMax, -200.0, 1e-12, "log(1 − p_max) row 0");
        Close.Check(traces[0].LogProbLabel, -200.0, 1e-12, "log p(y) row 0");
        Assert.That(traces[0].ProbMax, Is.EqualTo(1.0));
        // Row 1 by hand: z = [5, 1, 0].
        var lse = 5 + Math.Log(1 + Math.Exp(-4) + Math.Exp(-5));
        Close.Check(traces[1].LogOneMinusProbMax, Math.Log(Math.Exp(1) + 1) - lse, 1e-6, "log(1 − p_max) row 1");
        Close.Check(r.OutExceptArgmax, -200.0 + Math.Log(Math.Exp(1) + 1) - lse, 1e-6, "out_except_argmax");
        Close.Check(r.OutToken, -200.0 + 5 - lse, 1e-6, "out_token");
        // Row 0: p ≈ e_0 and y = 1: ‖p − e_1‖ = √2; row 1: y = argmax.
        var p1 = new[] { Math.Exp(5 - lse), Math.Exp(1 - lse), Math.Exp(0 - lse) };
        var gap1 = Math.Sqrt(Math.Pow(1 - p1[0], 2) + p1[1] * p1[1] + p1[2] * p1[2]);
        Close.Check(r.ProbGap2Mean, (Math.Sqrt(2) + gap1) / 2, 1e-6, "prob_gap2_mean");
        Assert.That(r.ArgmaxMatchRate, Is.EqualTo(0.5));
    }

    /// <summary>V = 2, logits [0, ln 3] → p = (¼, ¾); everything is checkable by hand.</summary>
    [Test]
    public void HandCheckedTwoTokenVocabulary([Values] MetricsPrecision precision)
    {
        var ln3 = (float)Math.Log(3);
        // Row: positions 0..2 predict labels[1..3] = [1, 0, −100]; position 3's logits are never used.
        using var logits = tensor(new float[] { 0f, ln3, 0f, ln3, 7f, -7f, 100f, 100f }, new long[] { 1, 4, 2 });
        using var labels = tensor(new long[] { 0, 1, 0, -100 }, new long[] { 1, 4 });
        var r = LearningDynamics.GetBatchLogps(logits, labels, options: new MetricsOptions { Precision = precision }).Rows[0];
        var rtol = precision == MetricsPrecision.Float64 ? 1e-6 : 1e-5;
        Assert.That(r.ValidTokens, Is.EqualTo(2));
        Assert.That(r.LabelsArgmax, Is.EqualTo(new long[] { 1, 1, 0 }));
        Assert.That(r.ArgmaxMatches, Is.EqualTo(1));
        Close.Check(r.OutToken, Math.Log(0.75) + Math.Log(0.25), rtol, "out_token");
        Close.Check(r.OutArgmax, 2 * Math.Log(0.75), rtol, "out_argmax");
        Close.Check(r.OutExceptArgmax, 2 * Math.Log(0.25), rtol, "out_except_argmax");
        Close.Check(r.ProbEnergy, (0.25 + 0.75) / 2, rtol, "prob_energy");
        var gapMatch = Math.Sqrt(0.25 * 0.25 * 2);     // p − e_1 = (¼, −¼)
        var gapMiss = Math.Sqrt(0.75 * 0.75 * 2);      // p − e_0 = (−¾, ¾)
        Close.Check(r.ProbGap2Mean, (gapMatch + gapMiss) / 2, rtol, "prob_gap2_mean");
        var norm = Math.Sqrt(0.25 * 0.25 + 0.75 * 0.75);
        Close.Check(r.MeanProbNorm, norm, rtol, "mean ‖p‖");
        Close.Check(r.ANorm, Math.Sqrt(2 * norm * norm + 2 - 2), rtol, "A_norm");
    }

    [Test]
    public void LegacyClampFormula()
    {
        // V = 1000, mean‖p‖² = 0.5 → square clamped to 0.3: sqrt(1000·0.3 + 998) ; V = 151936 → radicand clamped to 50000.
        using var peaked = tensor(new float[] { 50f, 0f, 0f, 0f, 0f }, new long[] { 1, 5 });
        using var acc = new LearningDynamicsAccumulator(5, new MetricsOptions { LegacyOrzClamps = true });
        acc.Add(peaked, tensor(new long[] { 0 }));
        Close.Check(acc.GetResult().ANorm, Math.Sqrt(5 * 0.3 + 5 - 2), 1e-9, "square clamp 0.3");
        using var exact = new LearningDynamicsAccumulator(5);
        exact.Add(peaked, tensor(new long[] { 0 }));
        Close.Check(exact.GetResult().ANorm, Math.Sqrt(5 + 5 - 2), 1e-6, "unclamped");
    }
}
