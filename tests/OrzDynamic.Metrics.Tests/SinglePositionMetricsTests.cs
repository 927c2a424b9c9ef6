using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

[TestFixture]
public class SinglePositionMetricsTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void EqualsBatchFunctionWithOnlyThatLabel(bool legacy)
    {
        using var scope = NewDisposeScope();
        var gen = new torch.Generator(7);
        const int t = 12, v = 50;
        var logits = (randn([1, t, v], generator: gen) * 3).to(ScalarType.Float64);
        var labels = randint(0, v, [1, t], generator: gen, dtype: ScalarType.Int64);
        var options = new MetricsOptions { CollectTokenTraces = true, Precision = MetricsPrecision.Float64, LegacyOrzClamps = legacy };
        var traces = LearningDynamics.GetBatchLogps(logits, labels, options: options).Rows[0].TokenTraces!;
        Assert.That(traces, Has.Count.EqualTo(t - 1));
        foreach (var pos in new[] { 1, 5, 11 })
        {
            var single = full([1, t], LearningDynamics.IgnoreIndex, dtype: ScalarType.Int64);
            single[0, pos] = labels[0, pos];
            var expected = LearningDynamics.GetBatchLogps(logits, single, options: options with { CollectTokenTraces = false }).Rows[0];
            var actual = LearningDynamics.SinglePositionMetrics(traces[pos - 1], v, legacy);
            Assert.Multiple(() =>
            {
                Assert.That(actual.ValidTokens, Is.EqualTo(1));
                Assert.That(actual.OutToken, Is.EqualTo(expected.OutToken).Within(1e-9));
                Assert.That(actual.OutArgmax, Is.EqualTo(expected.OutArgmax).Within(1e-9));
                Assert.That(actual.OutExceptArgmax, Is.EqualTo(expected.OutExceptArgmax).Within(1e-9));
                Assert.That(actual.ANorm, Is.EqualTo(expected.ANorm).Within(1e-9));
                Assert.That(actual.ProbGap2Mean, Is.EqualTo(expected.ProbGap2Mean).Within(1e-9));
                Assert.That(actual.ProbEnergy, Is.EqualTo(expected.ProbEnergy).Within(1e-9));
                Assert.That(actual.ArgmaxMatchRate, Is.EqualTo(expected.ArgmaxMatchRate));
            });
        }
    }

    [Test]
    public void IgnoredPositionHasNoMetrics()
    {
        var trace = new TokenTrace(3, LearningDynamics.IgnoreIndex, 1, double.NaN, 0.5, Math.Log(0.5), 0.6);
        Assert.That(() => LearningDynamics.SinglePositionMetrics(trace, 10), Throws.ArgumentException.With.Message.Contains("Position 3"));
    }
}
