namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>
/// Student's (1908) sleep data (Cushny &amp; Peebles 1905; R's <c>datasets::sleep</c>): extra hours of sleep of 10
/// patients under two drugs.
/// </summary>
internal static class SleepData
{
    public static readonly double[] Group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    public static readonly double[] Group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    /// <summary>group1 − group2, as R's <c>t.test(extra ~ group, paired = TRUE)</c> forms them.</summary>
    public static double[] Differences => Group1.Zip(Group2, (a, b) => a - b).ToArray();
}
