using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Tests.Results;

/// <summary>
/// The one-pass mean and sample standard deviation against a two-pass float64 computation: the mean is the sequential
/// sum over the count (the same bits), the standard deviation agrees with Σ(x − mean)² / (n − 1), also far from zero
/// where the textbook Σx² − n·mean² loses every digit, and a stream continued from a copy goes on exactly as the original.
/// </summary>
[TestFixture]
public class RunningMomentsTests
{
    private static RunningMoments Feed(IEnumerable<double> values)
    {
        var m = new RunningMoments();
        foreach (var v in values) m.Add(v);
        return m;
    }

    /// <summary>Two passes: the sequential sum for the mean, then squared deviations from it.</summary>
    private static (double Mean, double Std) TwoPass(IReadOnlyList<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Count; i++) sum += x[i];
        double mean = sum / x.Count, ss = 0;
        for (int i = 0; i < x.Count; i++) ss += (x[i] - mean) * (x[i] - mean);
        return (mean, Math.Sqrt(ss / (x.Count - 1)));
    }

    [Test]
    public void Empty_IsNaNWithCountZero_OneValue_HasStdZero()
    {
        Assert.That(new RunningMoments().ToStats(), Is.EqualTo(MetricStats.Empty));
        var one = Feed([-2.5]).ToStats();
        Assert.That((one.Mean, one.Std, one.Count), Is.EqualTo((-2.5, 0.0, 1)));
        var two = Feed([1.0, 3.0]).ToStats();
        Assert.That((two.Mean, two.Std, two.Count), Is.EqualTo((2.0, Math.Sqrt(2), 2)), "(1 + 1) / (2 - 1) = 2");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomValues_EqualTwoPass(int seed)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, 1000 + rng.Next(1000)).Select(_ => (rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-3, 3))).ToArray();
        var stats = Feed(x).ToStats();
        var (mean, std) = TwoPass(x);
        Assert.That(stats.Count, Is.EqualTo(x.Length));
        Assert.That(BitConverter.DoubleToInt64Bits(stats.Mean), Is.EqualTo(BitConverter.DoubleToInt64Bits(mean)), "mean: sequential sum / count, same bits");
        Assert.That(stats.Std, Is.EqualTo(std).Within(1e-12 * std));
    }

    [Test]
    public void LargeOffset_KeepsTheSpreadWhereSumOfSquaresLosesIt()
    {
        // 1e9 + u, u uniform in [0, 1): the deviations are exact after subtracting 1e9 (Sterbenz), so the two-pass
        // reference on them is accurate; std of U(0,1) is about 1/sqrt(12).
        var rng = new Random(7);
        var x = Enumerable.Range(0, 10_000).Select(_ => 1e9 + rng.NextDouble()).ToArray();
        var (_, reference) = TwoPass(x.Select(v => v - 1e9).ToArray());
        Assert.That(reference, Is.EqualTo(1 / Math.Sqrt(12)).Within(0.01));
        var stats = Feed(x).ToStats();
        Assert.That(stats.Std, Is.EqualTo(reference).Within(1e-6 * reference));
        double sum = 0;
        foreach (var v in x) sum += v;
        Assert.That(BitConverter.DoubleToInt64Bits(stats.Mean), Is.EqualTo(BitConverter.DoubleToInt64Bits(sum / x.Length)));

        // The one-pass textbook formula on the same values is far off: what the test would catch.
        double sq = 0;
        foreach (var v in x) sq += v * v;
        double naive = Math.Sqrt(Math.Max(0, (sq - x.Length * (sum / x.Length) * (sum / x.Length)) / (x.Length - 1)));
        Assert.That(Math.Abs(naive - reference), Is.GreaterThan(0.01), $"naive {naive} vs {reference}");
    }

    [Test]
    public void ConstantStreamAtAnyOffset_HasStdZero()
    {
        foreach (var c in new[] { 0.0, 0.1, -7.25, 1e12 + 0.5 })
        {
            var stats = Feed(Enumerable.Repeat(c, 777)).ToStats();
            Assert.That(stats.Std, Is.EqualTo(0.0), $"constant {c}");
            Assert.That(stats.Mean, Is.EqualTo(c).Within(Math.Abs(c) * 1e-12), $"constant {c}");
        }
    }

    [Test]
    public void ACopyContinuedWithTheRest_EqualsTheUninterruptedStream()
    {
        // What a resumed aggregation relies on: the state after k values, continued with the remaining values in the same
        // order, gives the bits of one pass over all of them; another order may differ in the last bits only.
        var rng = new Random(11);
        var x = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() * 3 - 1).ToArray();
        var whole = Feed(x).ToStats();
        var head = Feed(x.Take(137));
        var continued = head;
        foreach (var v in x.Skip(137)) continued.Add(v);
        Assert.That(continued.ToStats(), Is.EqualTo(whole));
        Assert.That(head.Count, Is.EqualTo(137), "the copy did not change the original");
        var (mean, std) = TwoPass(x.Reverse().ToArray());
        var reversed = Feed(x.Reverse()).ToStats();
        Assert.That(reversed.Mean, Is.EqualTo(mean));
        Assert.That(reversed.Mean, Is.EqualTo(whole.Mean).Within(1e-14));
        Assert.That(reversed.Std, Is.EqualTo(std).Within(1e-12 * std));
    }
}
