namespace OrzDynamic.Metrics;

/// <summary>A_norm = ‖I − 1pᵀ‖_F from the mean probability-vector norm, exact or with the ORZ fork's clamps.</summary>
internal static class ANormFormula
{
    public const double LegacyMeanNormMax = 200.0;
    public const double LegacySquareMax = 0.3;
    public const double LegacyRadicandMax = 50000.0;

    public static double Compute(double meanProbNorm, long vocabSize, bool legacyOrzClamps)
    {
        if (double.IsNaN(meanProbNorm)) return double.NaN;
        double v = vocabSize;
        if (!legacyOrzClamps)
            return Math.Sqrt(Math.Max(v * meanProbNorm * meanProbNorm + v - 2, 0));
        var s = Math.Min(meanProbNorm, LegacyMeanNormMax);
        var s2 = Math.Min(s * s, LegacySquareMax);
        return Math.Sqrt(Math.Min(v * s2 + v - 2, LegacyRadicandMax));
    }
}
