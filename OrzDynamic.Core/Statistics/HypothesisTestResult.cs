namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Outcome of one two-sided hypothesis test. Either <see cref="IsTestable"/> with a finite <see cref="PValue"/>, or
/// "not testable" with a <see cref="NotTestableReason"/> (no data, a single pair, no variation, no discordant pairs);
/// never a NaN.
/// </summary>
public sealed record HypothesisTestResult
{
    /// <summary>The <see cref="Test"/> name of McNemar's exact test (accuracy, paired by prompt).</summary>
    public const string McNemarExact = "McNemar exact";

    /// <summary>The <see cref="Test"/> name of the Wilcoxon signed-rank test (a metric over every answer, paired by prompt).</summary>
    public const string WilcoxonSignedRank = "Wilcoxon signed-rank";

    /// <summary>The <see cref="Test"/> name of Welch's t test (a metric over the correct or the incorrect answers).</summary>
    public const string WelchT = "Welch t";

    /// <summary>Name of the test, e.g. "McNemar exact", "Wilcoxon signed-rank", "paired t", "Welch t".</summary>
    public required string Test { get; init; }

    /// <summary>How the p-value was obtained, e.g. "exact", "normal approximation (tie + continuity corrected)".</summary>
    public string Method { get; init; } = "";

    /// <summary>Observations (pairs, or both groups together) that entered the test.</summary>
    public int N { get; init; }

    /// <summary>The test statistic (t, V = W⁺, or the smaller discordant count); null when not testable.</summary>
    public double? Statistic { get; init; }

    /// <summary>Degrees of freedom of a t statistic (Welch–Satterthwaite for Welch); null otherwise.</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>Two-sided p-value in [0, 1]; null when not testable.</summary>
    public double? PValue { get; init; }

    /// <summary>What <see cref="Effect"/> measures, e.g. "mean difference", "median paired difference", "accuracy difference".</summary>
    public string EffectName { get; init; } = "";

    /// <summary>Effect size (second minus first); null when there is no data to estimate it.</summary>
    public double? Effect { get; init; }

    /// <summary>Interval of the effect when the method gives one.</summary>
    public ConfidenceInterval? EffectInterval { get; init; }

    /// <summary>Why no p-value could be computed; null when <see cref="IsTestable"/>.</summary>
    public string? NotTestableReason { get; init; }

    /// <summary>Whether a p-value was computed.</summary>
    public bool IsTestable => NotTestableReason is null && PValue is not null;

    /// <summary>A "not testable" result.</summary>
    public static HypothesisTestResult NotTestable(string test, int n, string reason, string effectName = "", double? effect = null) => new()
    {
        Test = test,
        N = n,
        NotTestableReason = reason,
        EffectName = effectName,
        Effect = effect is { } e && double.IsFinite(e) ? e : null,
    };

    /// <summary>Clamps a computed p-value into [0, 1] (rounding can overshoot 1 by an ulp).</summary>
    internal static double ClampP(double p) => double.IsNaN(p) ? throw new InvalidOperationException("p-value is NaN") : Math.Clamp(p, 0, 1);

    /// <inheritdoc />
    public override string ToString() => IsTestable
        ? string.Create(CultureInfo.InvariantCulture, $"{Test} ({Method}): stat={Statistic:G6}, p={PValue:G6}, n={N}, {EffectName}={Effect:G6}")
        : $"{Test}: not testable ({NotTestableReason}), n={N}";

    /// <summary>
    /// The result of a t test of <paramref name="effect"/> with standard error <paramref name="se"/> on
    /// <paramref name="df"/> degrees of freedom: two-sided p and the Student-t interval of the effect.
    /// </summary>
    internal static HypothesisTestResult FromStudentT(string test, string method, int n, string effectName, double effect,
        double se, double df, double level)
    {
        double t = effect / se;
        double p = 2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, -Math.Abs(t));
        double half = ConfidenceLevels.StudentTQuantile(level, df) * se;
        return new HypothesisTestResult
        {
            Test = test,
            Method = method,
            N = n,
            Statistic = t,
            DegreesOfFreedom = df,
            PValue = ClampP(p),
            EffectName = effectName,
            Effect = effect,
            EffectInterval = new ConfidenceInterval(effect, effect - half, effect + half, level, n),
        };
    }
}
