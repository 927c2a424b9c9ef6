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

    /// <summary>
    /// Two metric rows agree: counts and argmax ids exactly, every value within <paramref name="rtol"/> relative (plus
    /// <paramref name="atol"/> absolute for the sums and the energy, which may be near 0).
    /// </summary>
    public static void Metrics(SequenceMetrics a, SequenceMetrics b, double rtol, string what, double atol = 1e-12)
    {
        Assert.Multiple(() =>
        {
            Assert.That(a.ValidTokens, Is.EqualTo(b.ValidTokens), $"{what} valid_tokens");
            Assert.That(a.ArgmaxMatches, Is.EqualTo(b.ArgmaxMatches), $"{what} matches");
            Assert.That(a.LabelsArgmax, Is.EqualTo(b.LabelsArgmax), $"{what} labels_argmax");
            Check(a.OutToken, b.OutToken, rtol, $"{what} out_token", atol);
            Check(a.OutArgmax, b.OutArgmax, rtol, $"{what} out_argmax", atol);
            Check(a.OutExceptArgmax, b.OutExceptArgmax, rtol, $"{what} out_except_argmax", atol);
            Check(a.ANorm, b.ANorm, rtol, $"{what} A_norm");
            Check(a.ProbGap2Mean, b.ProbGap2Mean, rtol, $"{what} prob_gap2_mean");
            Check(a.ProbEnergy, b.ProbEnergy, rtol, $"{what} prob_energy", atol);
            Check(a.ArgmaxMatchRate, b.ArgmaxMatchRate, rtol, $"{what} argmax_match_rate");
        });
    }
}
