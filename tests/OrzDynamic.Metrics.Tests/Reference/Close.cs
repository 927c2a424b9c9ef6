using NUnit.Framework;

namespace OrzDynamic.Metrics.Tests.Reference;

/// <summary>Relative-tolerance comparison that treats NaN = NaN.</summary>
internal static class Close
{
    public static void Check(double actual, double expected, double rtol, string what, double atol = 0)
    {
        if (double.IsNaN(expected))
        {
            Assert.That(actual, Is.NaN, what);
            return;
        }
        var tol = rtol * Math.Abs(expected) + atol;
        Assert.That(Math.Abs(actual - expected), Is.LessThanOrEqualTo(tol),
            $"{what}: actual {actual:R}, expected {expected:R}, relative error {Math.Abs(actual - expected) / Math.Abs(expected):E3}");
    }
}
