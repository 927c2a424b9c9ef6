using NUnit.Framework;
using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>pass@k against brute force over k-subsets, maj@k with equivalent-but-different answers, clustered means.</summary>
[TestFixture]
public class ManySamplesStatisticsTests
{
    /// <summary>The share of k-subsets of n samples (c correct, the first c) that hold a correct one, by enumeration.</summary>
    private static double BruteForcePassAtK(int n, int c, int k)
    {
        int subsets = 0, passing = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != k) continue;
            subsets++;
            if ((mask & ((1 << c) - 1)) != 0) passing++;
        }
        return (double)passing / subsets;
    }

    [Test]
    public void PassAtKEqualsTheShareOfPassingSubsetsForEverySmallCase()
    {
        int cases = 0;
        for (int n = 1; n <= 10; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                {
                    Assert.That(PassAtK.Estimate(n, c, k), Is.EqualTo(BruteForcePassAtK(n, c, k)).Within(1e-12), $"n={n} c={c} k={k}");
                    cases++;
                }
        Assert.That(cases, Is.EqualTo(440));   // Σ_{n=1}^{10} (n + 1)·n
    }

    [Test]
    public void PassAtKIsStableForLargeN()
    {
        // C(1000, 500) overflows a double; the product form must not. pass@1 is c/n exactly.
        Assert.That(PassAtK.Estimate(1000, 1, 1), Is.EqualTo(0.001).Within(1e-15));
        Assert.That(PassAtK.Estimate(1000, 300, 1), Is.EqualTo(0.3).Within(1e-12));
        double p = PassAtK.Estimate(1000, 10, 500);
        // 1 − C(990, 500)/C(1000, 500) = 1 − ∏_{i=0}^{9} (500 − i)/(1000 − i), computed directly.
        double allWrong = 1;
        for (int i = 0; i < 10; i++) allWrong *= (500.0 - i) / (1000.0 - i);
        Assert.That(p, Is.EqualTo(1 - allWrong).Within(1e-12));
        Assert.That(PassAtK.Estimate(1000, 0, 1000), Is.Zero);
        Assert.That(PassAtK.Estimate(1000, 1, 1000), Is.EqualTo(1.0));
    }

    [Test]
    public void PassAtKRejectsImpossibleCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(0, 0, 1));
        Assert.Throws<ArgumentException>(() => PassAtK.Mean([], 1));
    }

    [Test]
    public void MeanPassAtKAveragesPrompts()
    {
        Assert.That(PassAtK.Mean([(4, 0), (4, 4), (4, 2)], 2), Is.EqualTo((0 + 1 + (1 - 1.0 / 6)) / 3).Within(1e-12));
    }

    [TestCase(1, new[] { 1 })]
    [TestCase(2, new[] { 1, 2 })]
    [TestCase(8, new[] { 1, 2, 4, 8 })]
    [TestCase(12, new[] { 1, 2, 4, 8, 12 })]
    public void ReportedKsArePowersOfTwoAndK(int samples, int[] expected) =>
        Assert.That(PassAtK.ReportedKs(samples), Is.EqualTo(expected));

    private static bool SameNumber(string a, string b) =>
        double.Parse(Fraction(a), System.Globalization.CultureInfo.InvariantCulture) == double.Parse(Fraction(b), System.Globalization.CultureInfo.InvariantCulture);

    private static string Fraction(string s)
    {
        var parts = s.Split('/');
        return parts.Length == 2
            ? (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : s;
    }

    [Test]
    public void MajorityVotesByEquivalenceNotByString()
    {
        // "1/2" and "0.5" and "2/4" are one answer (3 votes) against "3" twice.
        var winner = MajorityVote.Winner(["3", "1/2", "0.5", "3", "2/4"], SameNumber);
        Assert.That(winner, Is.EqualTo((1, 3)));
    }

    [Test]
    public void MajorityTieGoesToTheEarliestClassAndEmptyAnswersDoNotVote()
    {
        Assert.That(MajorityVote.Winner(["", "7", "0.5", "1/2", "7"], SameNumber), Is.EqualTo((1, 2)));
        Assert.That(MajorityVote.Winner(["", " ", ""], SameNumber), Is.Null);
        Assert.That(MajorityVote.Winner(["", "", "4"], SameNumber), Is.EqualTo((2, 1)));
    }

    [Test]
    public void MajorityCallsTheEquivalenceAtMostKChoose2Times()
    {
        for (int k = 1; k <= 16; k++)
        {
            int calls = 0;
            var answers = Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var winner = MajorityVote.Winner(answers, (a, b) => { calls++; return a == b; });
            Assert.That(calls, Is.LessThanOrEqualTo(k * (k - 1) / 2), $"k={k}");
            Assert.That(winner, Is.EqualTo((0, 1)));
        }
    }

    [Test]
    public void ClusteredIntervalUsesPromptsAsTheUnit()
    {
        // Two prompts, four samples each: one always solved, one never. Per-prompt means 1 and 0: n = 2, mean 0.5,
        // s = √0.5, half width t(0.975, 1)·s/√2 = 12.7062047·0.5.
        IReadOnlyList<IReadOnlyList<double>> samples = [[1, 1, 1, 1], [0, 0, 0, 0]];
        var ci = ClusteredMean.Interval(samples)!;
        Assert.That(ci.N, Is.EqualTo(2));
        Assert.That(ci.Estimate, Is.EqualTo(0.5));
        Assert.That(ci.High - ci.Estimate, Is.EqualTo(12.706204736174707 * 0.5).Within(1e-9));
        var (between, within) = ClusteredMean.VarianceComponents(samples);
        Assert.That(between, Is.EqualTo(0.5).Within(1e-15));
        Assert.That(within, Is.Zero);
    }

    [Test]
    public void ClusteredPairedTestPairsPromptMeans()
    {
        IReadOnlyList<IReadOnlyList<double>> a = [[0, 0], [0, 1], [1, 1]];
        IReadOnlyList<IReadOnlyList<double>> b = [[0, 1], [1, 1], [1, 1]];
        var r = ClusteredMean.PairedTest(a, b);
        Assert.That(r.N, Is.EqualTo(3));
        Assert.That(r.Effect, Is.EqualTo((0.5 + 0.5 + 0) / 3).Within(1e-12));
        Assert.Throws<ArgumentException>(() => ClusteredMean.PairedTest(a, [[1]]));
    }
}
