using NUnit.Framework;
using OrzDynamic.Metrics;

namespace OrzDynamic.Metrics.Tests;

/// <summary>Why a response's metrics are kept out of the means (<see cref="LdMetrics.InvalidReason"/>).</summary>
[TestFixture]
public sealed class LdMetricsValidityTests
{
    private static LdMetrics Finite(long tokens) => new()
    {
        OutToken = -1, OutArgmax = -0.5, OutExceptArgmax = 0.2, ANorm = 1.5, ProbGap2Mean = 0.1, ProbEnergy = 0.3, ArgmaxMatchRate = 0.5,
        ValidTokens = tokens,
    };

    [Test]
    public void ValidMetricsHaveNoReason()
    {
        Assert.That(Finite(3).IsValid, Is.True);
        Assert.That(Finite(3).InvalidReason, Is.Null);
    }

    [Test]
    public void NoTokensIsNamedBeforeAnyValue()
    {
        var none = Finite(0) with { ANorm = double.NaN };
        Assert.That(none.IsValid, Is.False);
        Assert.That(none.InvalidReason, Is.EqualTo("the response has no tokens to score"));
    }

    [Test]
    public void NonFiniteMetricsAreNamedInCatalogOrder()
    {
        var bad = Finite(4) with { ProbEnergy = double.PositiveInfinity, ANorm = double.NaN };
        Assert.That(bad.IsValid, Is.False);
        Assert.That(bad.InvalidReason, Is.EqualTo($"non-finite metrics: {LdMetricKeys.ANorm}, {LdMetricKeys.ProbEnergy}"));
    }
}
