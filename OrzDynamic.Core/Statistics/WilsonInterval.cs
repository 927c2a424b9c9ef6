namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Wilson score interval of a binomial proportion (Wilson 1927; Newcombe 1998, method 3, no continuity correction).
/// Unlike the Wald interval p ± z·√(p(1−p)/n) it stays inside [0, 1] and keeps close to its nominal coverage for small
/// n and for proportions near 0 or 1 (e.g. 0 of 20 correct or all correct).
/// </summary>
internal static class WilsonInterval
{
    /// <summary>
    /// The interval of <paramref name="successes"/> out of <paramref name="trials"/>, or <c>null</c> when
    /// <paramref name="trials"/> is 0 (nothing to estimate).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative counts, more successes than trials, or a level outside (0, 1).</exception>
    public static ConfidenceInterval? Compute(int successes, int trials, double level = ConfidenceLevels.Default)
    {
        if (trials < 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "The number of trials must not be negative.");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must lie in [0, {trials}].");
        ConfidenceLevels.Validate(level);
        if (trials == 0) return null;
        double z = ConfidenceLevels.NormalQuantile(level);
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // The exact bounds at 0 and n successes are 0 and 1; clamp the rounding of centre ∓ half there.
        double low = successes == 0 ? 0 : Math.Max(0, centre - half);
        double high = successes == trials ? 1 : Math.Min(1, centre + half);
        return new ConfidenceInterval(p, low, high, level, trials);
    }
}
