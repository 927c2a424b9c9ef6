using NUnit.Framework;
using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>McNemar, Wilcoxon signed-rank, paired t and Welch t against published values.</summary>
[TestFixture]
public class TestReferenceTests
{
    // Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs data: mid-p and asymptotic are
    // better than exact conditional", BMC Med Res Methodol 13:91, Table 1 / worked example (Bentur et al. 2009, AHR
    // before and after stem cell transplantation, 21 children): n12 = 1, n21 = 7, exact conditional p = 0.070; their
    // supplement gives the formula 2·binomcdf(1, 8, 0.5), i.e. exactly 18/256 = 0.0703125.
    [Test]
    public void McNemarExactMatchesFagerland2013()
    {
        var r = McNemarExactTest.Test(onlyFirst: 1, onlySecond: 7, totalPairs: 21);
        Assert.That(r.IsTestable);
        Assert.That(r.PValue!.Value, Is.EqualTo(18.0 / 256).Within(1e-6 * 18.0 / 256));
        Assert.That(r.Effect!.Value, Is.EqualTo(6.0 / 21).Within(1e-12));
        Assert.That(r.EffectInterval!.Contains(6.0 / 21));
        Assert.That(McNemarExactTest.Test(7, 1, 21).PValue, Is.EqualTo(r.PValue).Within(1e-15), "symmetric in b and c");
    }

    [Test]
    public void McNemarBalancedIsOneAndExtremeIsTiny()
    {
        Assert.That(McNemarExactTest.Test(5, 5).PValue!.Value, Is.EqualTo(1.0));
        // 0 of 41 discordant pairs against: p = 2·0.5^41 exactly.
        Assert.That(McNemarExactTest.Test(0, 41, 100).PValue!.Value, Is.EqualTo(2 * Math.Pow(0.5, 41)).Within(1e-6 * 2 * Math.Pow(0.5, 41)));
    }

    // R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29f: Hamilton depression scale, 9 patients, no ties, no
    // zeros): wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40, p-value = 0.01953 = 10/512;
    // the two-sided exact p-value is 20/512 = 0.0390625.
    [Test]
    public void WilcoxonExactMatchesHollanderWolfeDepression()
    {
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        double[] y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        var r = WilcoxonSignedRankTest.Test(x.Zip(y, (a, b) => a - b).ToArray());
        Assert.That(r.Method, Is.EqualTo("exact"));
        Assert.That(r.Statistic, Is.EqualTo(40));
        Assert.That(r.PValue!.Value, Is.EqualTo(20.0 / 512).Within(1e-6 * 20.0 / 512));
        Assert.That(new SignedRankDistribution(9).Cdf(40 - 1), Is.EqualTo(1 - 10.0 / 512).Within(1e-15), "one-sided P(V ≥ 40) = 10/512");
    }

    // Darwin's Zea mays data as analysed by Fisher (The Design of Experiments, 1935), the example of SciPy's
    // scipy.stats.wilcoxon documentation: 15 differences without ties, two-sided exact p = 0.04125976562 (= 1352/32768).
    [Test]
    public void WilcoxonExactMatchesFisherDarwin()
    {
        double[] d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
        var r = WilcoxonSignedRankTest.Test(d);
        Assert.That(r.Method, Is.EqualTo("exact"));
        Assert.That(r.PValue!.Value, Is.EqualTo(1352.0 / 32768).Within(1e-6 * 1352.0 / 32768));
        Assert.That(Math.Min(r.Statistic!.Value, 120 - r.Statistic.Value), Is.EqualTo(24), "smaller rank sum 24 as in SciPy");
    }

    // R values quoted in SciPy's test suite (test_wilcoxon_tie, regression test for gh-2391):
    // wilcox.test(rep(0.1, 10), exact = FALSE, correct = TRUE)$p.value = 0.001904195 — all ten |differences| tied.
    // Adding zero differences must not change it: R and this class drop zeros (Wilcoxon's method).
    [Test]
    public void WilcoxonAllTiedMatchesR()
    {
        var r = WilcoxonSignedRankTest.Test(Enumerable.Repeat(0.1, 10).ToArray());
        Assert.That(r.Method, Does.StartWith("normal approximation"));
        Assert.That(r.Statistic, Is.EqualTo(55));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.001904195).Within(1e-6 * 0.001904195));
        var withZeros = WilcoxonSignedRankTest.Test([0.1, 0, 0.1, 0.1, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0.1]);
        Assert.That(withZeros.PValue!.Value, Is.EqualTo(0.001904195).Within(1e-6 * 0.001904195));
        Assert.That(withZeros.Method, Does.Contain("3 zero difference(s) dropped"));
        Assert.That(withZeros.N, Is.EqualTo(13), "N counts every pair, zeros included");
    }

    // R output published on Cross Validated (stats.stackexchange.com/q/514618, answer by BruceET): differences with
    // four zeros and many ties, wilcox.test(d) → "Wilcoxon signed rank test with continuity correction, V = 99.5,
    // p-value = 0.01842" (printed to 4 significant digits).
    [Test]
    public void WilcoxonTiesAndZerosMatchesPublishedROutput()
    {
        double[] d = [1, 1, 0, 1, 2, 1, 1, -2, 0, 1, 2, 1, 1, 1, -1, 0, 1, 0, 1];
        var r = WilcoxonSignedRankTest.Test(d);
        Assert.That(r.Statistic, Is.EqualTo(99.5));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.01842).Within(5e-6));
        Assert.That(r.Method, Does.Contain("4 zero difference(s) dropped"));
    }

    // R output published on Cross Validated (stats.stackexchange.com/q/510275, answer by BruceET):
    // q1 = (6, 19.5, 5.1, 4.7, 10.6), q4 = (6, 5, 2.5, 2.1, 5.4); wilcox.test(q1, q4, paired = TRUE) → "with continuity
    // correction", V = 10, p-value = 0.1003. One zero difference; the two "2.6" differences are 5.1 − 2.5 and
    // 4.7 − 2.1, which differ in binary floating point, so R (digits.rank = Inf) and this class do not tie them.
    [Test]
    public void WilcoxonSmallSampleWithZeroMatchesPublishedROutput()
    {
        double[] q1 = [6, 19.5, 5.1, 4.7, 10.6];
        double[] q4 = [6, 5, 2.5, 2.1, 5.4];
        var r = WilcoxonSignedRankTest.Test(q1.Zip(q4, (a, b) => a - b).ToArray());
        Assert.That(r.Statistic, Is.EqualTo(10));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.1003).Within(5e-5));
        Assert.That(r.Method, Does.Contain("1 zero difference(s) dropped"));
        Assert.That(r.Effect!.Value, Is.EqualTo(2.6).Within(1e-12), "median paired difference, zeros included");
        // Exactly tied differences get average ranks and the tie-corrected variance: same V, smaller variance.
        var tied = WilcoxonSignedRankTest.Test([0.0, 14.5, 2.6, 2.6, 5.2]);
        Assert.That(tied.Statistic, Is.EqualTo(10));
        Assert.That(tied.PValue!.Value, Is.LessThan(r.PValue.Value));
    }

    // R documentation example t.test(extra ~ group, data = sleep, paired = TRUE):
    // t = -4.0621, df = 9, p-value = 0.002833, mean of the differences -1.58.
    [Test]
    public void PairedTMatchesRSleep()
    {
        var r = PairedTTest.Test(SleepData.Differences);
        Assert.That(r.Statistic!.Value, Is.EqualTo(-4.0621).Within(5e-5));
        Assert.That(r.DegreesOfFreedom, Is.EqualTo(9));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.002833).Within(5e-7));
        Assert.That(r.EffectInterval!.Low, Is.EqualTo(-2.4598858).Within(5e-8));
    }

    // R documentation example t.test(extra ~ group, data = sleep) (Welch): t = -1.8608, df = 17.776,
    // p-value = 0.07939, 95 percent CI −3.3654832 0.2054832 for mean(group1) − mean(group2).
    [Test]
    public void WelchMatchesRSleep()
    {
        var r = WelchTTest.Test(first: SleepData.Group2, second: SleepData.Group1);
        Assert.That(r.Statistic!.Value, Is.EqualTo(-1.8608).Within(5e-5));
        Assert.That(r.DegreesOfFreedom!.Value, Is.EqualTo(17.776).Within(5e-4));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.07939).Within(5e-6));
        Assert.That(r.EffectInterval!.Low, Is.EqualTo(-3.3654832).Within(5e-8));
        Assert.That(r.EffectInterval!.High, Is.EqualTo(0.2054832).Within(5e-8));
    }

    // ClickHouse documentation, welchTTest example (unequal variances 0.97 vs 0.61, n = 3 each): samples
    // (20.3, 22.1, 21.9) and (18.9, 20.3, 19) → (t, p) = (2.7988719532211235, 0.051807360348581945), printed in full.
    [Test]
    public void WelchMatchesClickHouseReferenceInFullPrecision()
    {
        var r = WelchTTest.Test(first: [18.9, 20.3, 19], second: [20.3, 22.1, 21.9]);
        Assert.That(r.Statistic!.Value, Is.EqualTo(2.7988719532211235).Within(1e-9));
        Assert.That(r.PValue!.Value, Is.EqualTo(0.051807360348581945).Within(1e-6 * 0.051807360348581945));
    }

    // Holm (1979), step-down: p = (0.01, 0.04, 0.03, 0.005) → sorted 0.005·4, 0.01·3, 0.03·2, 0.04·1 with the running
    // maximum → (0.03, 0.06, 0.06, 0.02); the same as R's p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm").
    [Test]
    public void HolmAdjustsStepDownWithRunningMaximum()
    {
        var adj = HolmBonferroni.Adjust([0.01, 0.04, 0.03, 0.005, null]);
        Assert.That(adj[0]!.Value, Is.EqualTo(0.03).Within(1e-15));
        Assert.That(adj[1]!.Value, Is.EqualTo(0.06).Within(1e-15));
        Assert.That(adj[2]!.Value, Is.EqualTo(0.06).Within(1e-15));
        Assert.That(adj[3]!.Value, Is.EqualTo(0.02).Within(1e-15));
        Assert.That(adj[4], Is.Null, "untestable entries stay outside the family");
        Assert.That(HolmBonferroni.Adjust([0.5, 0.9])[1], Is.EqualTo(1.0), "capped at 1");
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmBonferroni.Adjust([double.NaN]));
    }
}
