namespace OrzDynamic.Metrics;

/// <summary>
/// The six per-position values the accumulator sums, in float64, from the two row reductions: d = log Σ_{v≠a} e^{z_v−m}
/// and Q = Σ_{v≠a} e^{2(z_v−m)} (a the argmax, m the max). Same formulas as <see cref="PositionReduction"/>:
/// L = softplus(d), log p_max = −L, log(1 − p_max) = d − L, log p_y = (z_y − m) − L, ‖p‖² = e^{−2L}(1 + Q), and the
/// cancellation-free ‖p − e_y‖².
/// </summary>
internal static class PositionValues
{
    /// <summary>Values per position, in this order: log p_y, log p_max, log(1 − p_max), ‖p‖, ‖p − e_y‖, 1 − p_y.</summary>
    public const int Width = 6;

    public static void Fill(Span<double> values, double d, double q, double zyMinusM, bool labelIsArgmax)
    {
        var l = Math.Max(d, 0) + Log1P(Math.Exp(-Math.Abs(d)));
        var log1mPmax = d - l;
        var logPy = zyMinusM - l;
        var twoL = Math.Exp(-2 * l);
        var normSq = twoL * (1 + q);
        var oneMinusPy = -ExpM1(logPy);
        double gapSq;
        if (labelIsArgmax)
        {
            gapSq = twoL * q + Math.Exp(2 * log1mPmax);
        }
        else
        {
            var py = Math.Exp(logPy);
            gapSq = normSq - py * py + oneMinusPy * oneMinusPy;
        }
        values[0] = logPy;
        values[1] = -l;
        values[2] = log1mPmax;
        values[3] = Math.Sqrt(normSq);
        values[4] = Math.Sqrt(Math.Max(gapSq, 0));
        values[5] = oneMinusPy;
    }

    /// <summary>log(1 + x), accurate for small x (Goldberg's correction; .NET's double.LogP1 is log(x + 1)).</summary>
    internal static double Log1P(double x)
    {
        var u = 1 + x;
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x − 1, accurate for small x (Kahan's correction; .NET's double.ExpM1 is exp(x) − 1).</summary>
    internal static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1) return x;
        var um1 = u - 1;
        if (um1 == -1) return -1;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }
}
