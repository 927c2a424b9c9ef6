using NUnit.Framework;
using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>Wilson and Student-t intervals against published values.</summary>
[TestFixture]
public class IntervalReferenceTests
{
    // Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of seven methods.
    // Statistics in Medicine 17, 857–872, Table I, method 3 (Wilson score interval without continuity correction),
    // examples (a)–(d); printed to 4 decimals, so the tolerance is half a unit of the last printed digit.
    [TestCase(81, 263, 0.2553, 0.3662)]
    [TestCase(15, 148, 0.0624, 0.1605)]
    [TestCase(0, 20, 0.0000, 0.1611)]
    [TestCase(1, 29, 0.0061, 0.1718)]
    public void WilsonMatchesNewcombe1998(int successes, int trials, double low, double high)
    {
        var ci = WilsonInterval.Compute(successes, trials)!;
        Assert.That(ci.Low, Is.EqualTo(low).Within(5e-5));
        Assert.That(ci.High, Is.EqualTo(high).Within(5e-5));
        Assert.That(ci.Estimate, Is.EqualTo((double)successes / trials).Within(1e-15));
        Assert.That(ci.N, Is.EqualTo(trials));
    }

    [Test]
    public void WilsonAtTheBoundsStaysInsideTheUnitInterval()
    {
        var all = WilsonInterval.Compute(29, 29)!;
        Assert.That(all.High, Is.EqualTo(1.0));
        Assert.That(all.Low, Is.GreaterThan(0.8).And.LessThan(1));
        var none = WilsonInterval.Compute(0, 1)!;
        Assert.That(none.Low, Is.EqualTo(0.0));
        Assert.That(none.High, Is.GreaterThan(0).And.LessThan(1));
        Assert.That(WilsonInterval.Compute(0, 0), Is.Null, "n = 0 has no interval");
    }

    [Test]
    public void WilsonWidensWithTheLevel()
    {
        var ci90 = WilsonInterval.Compute(40, 100, 0.90)!;
        var ci99 = WilsonInterval.Compute(40, 100, 0.99)!;
        Assert.That(ci99.Low, Is.LessThan(ci90.Low));
        Assert.That(ci99.High, Is.GreaterThan(ci90.High));
        Assert.That(ci99.Level, Is.EqualTo(0.99));
    }

    [Test]
    public void InvalidInputsThrowTyped()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(1, 2, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(1, 2, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTInterval.FromSummary(0, -1, 5));
    }

    // R documentation example, t.test(extra ~ group, data = sleep, paired = TRUE) on Student's (1908) sleep data
    // (Cushny & Peebles 1905), as printed e.g. in Meys & de Vries, "R For Dummies": mean of the differences −1.58,
    // 95 percent confidence interval −2.4598858 −0.7001142. A one-sample t interval of the differences is the same.
    [Test]
    public void StudentTIntervalMatchesRSleepPaired()
    {
        var ci = StudentTInterval.Compute(SleepData.Differences)!;
        Assert.That(ci.Estimate, Is.EqualTo(-1.58).Within(1e-12));
        Assert.That(ci.Low, Is.EqualTo(-2.4598858).Within(5e-8));
        Assert.That(ci.High, Is.EqualTo(-0.7001142).Within(5e-8));
    }

    [Test]
    public void StudentTIntervalEdgeCases()
    {
        Assert.That(StudentTInterval.Compute([]), Is.Null);
        Assert.That(StudentTInterval.Compute([1.5]), Is.Null);
        Assert.That(StudentTInterval.FromSummary(double.NaN, double.NaN, 0), Is.Null);
        var constant = StudentTInterval.Compute([2.0, 2.0, 2.0])!;
        Assert.That((constant.Low, constant.High), Is.EqualTo((2.0, 2.0)), "no spread: a zero-width interval, not NaN");
    }
}
