using NUnit.Framework;
using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>n = 0/1, all differences zero, no variance: "not testable", never NaN, never an exception.</summary>
[TestFixture]
public class EdgeCaseTests
{
    private static void AssertNotTestable(HypothesisTestResult r, string reasonFragment)
    {
        Assert.That(r.IsTestable, Is.False, r.ToString());
        Assert.That(r.PValue, Is.Null);
        Assert.That(r.Statistic, Is.Null);
        Assert.That(r.NotTestableReason, Does.Contain(reasonFragment));
        if (r.Effect is { } e) Assert.That(double.IsFinite(e));
    }

    [Test]
    public void NoData()
    {
        AssertNotTestable(McNemarExactTest.Test(0, 0), "no pairs");
        AssertNotTestable(WilcoxonSignedRankTest.Test([]), "no pairs");
        AssertNotTestable(PairedTTest.Test([]), "no pairs");
        AssertNotTestable(WelchTTest.Test([], []), "fewer than 2");
    }

    [Test]
    public void OneObservation()
    {
        AssertNotTestable(PairedTTest.Test([0.3]), "single pair");
        AssertNotTestable(WelchTTest.Test([1.0], [1.0, 2.0]), "fewer than 2");
        var w = WilcoxonSignedRankTest.Test([0.3]);
        Assert.That(w.PValue, Is.EqualTo(1.0), "one non-zero difference: exact p = 1");
    }

    [Test]
    public void AllDifferencesZero()
    {
        double[] zeros = [0, 0, 0, 0];
        AssertNotTestable(WilcoxonSignedRankTest.Test(zeros), "all paired differences are zero");
        AssertNotTestable(PairedTTest.Test(zeros), "all paired differences are zero");
        Assert.That(WilcoxonSignedRankTest.Test(zeros).Effect, Is.EqualTo(0.0));
    }

    [Test]
    public void AllCorrectAtBothCheckpoints()
    {
        var r = McNemarExactTest.Test(0, 0, totalPairs: 50);
        AssertNotTestable(r, "no discordant pairs");
        Assert.That(r.Effect, Is.EqualTo(0.0));
        Assert.That(r.N, Is.EqualTo(50));
    }

    [Test]
    public void NoVariance()
    {
        AssertNotTestable(PairedTTest.Test([0.5, 0.5, 0.5]), "no variance");
        AssertNotTestable(WelchTTest.Test([1.0, 1.0], [2.0, 2.0]), "no variance");
        var oneSided = WelchTTest.Test([1.0, 1.0, 1.0], [2.0, 2.5, 3.0]);
        Assert.That(oneSided.IsTestable, "variance in one group suffices");
        Assert.That(double.IsFinite(oneSided.DegreesOfFreedom!.Value));
    }

    [Test]
    public void NonFiniteInputThrows()
    {
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRankTest.Test([1.0, double.NaN]));
        Assert.Throws<ArgumentException>(() => PairedTTest.Test([double.PositiveInfinity, 1.0]));
        Assert.Throws<ArgumentException>(() => WelchTTest.Test([1.0, 2.0], [double.NaN, 1.0]));
    }

    [Test]
    public void HugeEffectsGiveTinyButValidPValues()
    {
        var d = Enumerable.Range(1, 200).Select(i => 1.0 + i * 1e-3).ToArray();
        foreach (var r in new[] { WilcoxonSignedRankTest.Test(d), PairedTTest.Test(d) })
        {
            Assert.That(r.PValue!.Value, Is.GreaterThanOrEqualTo(0).And.LessThan(1e-10), r.ToString());
        }
    }

    [Test]
    public void ExactDistributionSumsToOneAndIsSymmetric()
    {
        var dist = new SignedRankDistribution(12);
        Assert.That(dist.Cdf(dist.MaxStatistic), Is.EqualTo(1.0));
        for (int v = 0; v < dist.MaxStatistic; v++)
            Assert.That(dist.Cdf(v), Is.EqualTo(1 - dist.Cdf(dist.MaxStatistic - v - 1)).Within(1e-15));
        Assert.That(new SignedRankDistribution(SignedRankDistribution.MaxN).Cdf(0), Is.EqualTo(Math.Pow(0.5, SignedRankDistribution.MaxN)));
    }
}
