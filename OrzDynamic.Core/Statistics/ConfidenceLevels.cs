namespace OrzDynamic.Core.Statistics;

/// <summary>Validation and quantiles shared by the interval methods.</summary>
internal static class ConfidenceLevels
{
    /// <summary>The default level of every interval (0.95).</summary>
    public const double Default = 0.95;

    /// <summary>Throws unless <paramref name="level"/> is a number strictly between 0 and 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1) or not a number.</exception>
    public static void Validate(double level, string paramName = "level")
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(paramName, level, "A confidence level must lie strictly between 0 and 1 (e.g. 0.95).");
    }

    /// <summary>The standard normal quantile z with P(|Z| ≤ z) = <paramref name="level"/>.</summary>
    public static double NormalQuantile(double level)
    {
        Validate(level);
        return MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (1 + level) / 2);
    }

    /// <summary>The Student-t quantile t with P(|T| ≤ t) = <paramref name="level"/> at <paramref name="degreesOfFreedom"/>.</summary>
    public static double StudentTQuantile(double level, double degreesOfFreedom)
    {
        Validate(level);
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be positive.");
        return MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, degreesOfFreedom, (1 + level) / 2);
    }
}
