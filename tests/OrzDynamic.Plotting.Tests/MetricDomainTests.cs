using OrzDynamic.Metrics;

namespace OrzDynamic.Plotting.Tests;

/// <summary>The domains of the metric descriptor table, which the charts clip bands and whiskers to.</summary>
public class MetricDomainTests
{
    [Test]
    public void EveryMetricHasAKnownBound()
    {
        Assert.That(LdMetricKeys.Descriptors.Where(d => d.Domain == MetricDomain.Unbounded).Select(d => d.Key), Is.Empty);
        Assert.That(LdMetricKeys.Describe(LdMetricKeys.OutToken).Domain, Is.EqualTo(new MetricDomain(double.NegativeInfinity, 0)));
        Assert.That(LdMetricKeys.Describe(LdMetricKeys.ANorm).Domain, Is.EqualTo(new MetricDomain(0, double.PositiveInfinity)));
        Assert.That(LdMetricKeys.Describe(LdMetricKeys.ArgmaxMatchRate).Domain.IsBounded, Is.True);
    }

    [Test]
    public void ClampContainsAndText()
    {
        var unit = new MetricDomain(0, 1);
        Assert.That(unit.Clamp(-0.2), Is.EqualTo(0));
        Assert.That(unit.Clamp(1.5), Is.EqualTo(1));
        Assert.That(unit.Clamp(0.25), Is.EqualTo(0.25));
        Assert.That(unit.Clamp(double.NaN), Is.NaN);
        Assert.That(unit.Contains(1), Is.True);
        Assert.That(unit.Contains(double.NaN), Is.False);
        Assert.That(unit.ToString(), Is.EqualTo("[0, 1]"));
        Assert.That(new MetricDomain(double.NegativeInfinity, 0).ToString(), Is.EqualTo("(−∞, 0]"));
        Assert.That(MetricDomain.Unbounded.Clamp(-1e300), Is.EqualTo(-1e300));
    }
}
