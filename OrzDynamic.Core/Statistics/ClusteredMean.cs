namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Means and tests for several samples per prompt, with the prompt as the unit: the samples of one prompt share its
/// difficulty and are not independent, so each prompt contributes one value, the mean over its samples, and intervals
/// and tests run on those per-prompt means (n = prompts, not samples).
/// </summary>
internal static class ClusteredMean
{
    /// <summary>The mean over each prompt's samples, in prompt order.</summary>
    /// <exception cref="ArgumentException">A prompt has no samples.</exception>
    public static double[] PerPromptMeans(IReadOnlyList<IReadOnlyList<double>> samplesByPrompt)
    {
        ArgumentNullException.ThrowIfNull(samplesByPrompt);
        var means = new double[samplesByPrompt.Count];
        for (int p = 0; p < means.Length; p++)
        {
            var s = samplesByPrompt[p];
            if (s.Count == 0) throw new ArgumentException($"Prompt {p} has no samples.", nameof(samplesByPrompt));
            double sum = 0;
            foreach (var v in s) sum += v;
            means[p] = sum / s.Count;
        }
        return means;
    }

    /// <summary>
    /// Student-t interval of the mean of per-prompt means (a cluster-robust interval for avg@k accuracy and for the
    /// per-answer metrics); null for fewer than two prompts.
    /// </summary>
    public static ConfidenceInterval? Interval(IReadOnlyList<IReadOnlyList<double>> samplesByPrompt, double level = ConfidenceLevels.Default) =>
        StudentTInterval.Compute(PerPromptMeans(samplesByPrompt), level);

    /// <summary>
    /// Paired t-test between two checkpoints on the same prompts: the differences of per-prompt means (second − first).
    /// </summary>
    /// <exception cref="ArgumentException">The two sides have different prompt counts.</exception>
    public static HypothesisTestResult PairedTest(IReadOnlyList<IReadOnlyList<double>> first, IReadOnlyList<IReadOnlyList<double>> second,
        double level = ConfidenceLevels.Default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
            throw new ArgumentException($"Paired prompts differ in number: {first.Count} and {second.Count}.", nameof(second));
        var a = PerPromptMeans(first);
        var b = PerPromptMeans(second);
        return PairedTTest.Test(b.Select((v, i) => v - a[i]).ToArray(), level);
    }

    /// <summary>
    /// Between-prompt and within-prompt variance of a metric: the variance of the per-prompt means (n − 1 denominator)
    /// and the mean over prompts of each prompt's sample variance (prompts with one sample add nothing to the latter).
    /// NaN where undefined (fewer than two prompts; no prompt with two samples).
    /// </summary>
    public static (double Between, double Within) VarianceComponents(IReadOnlyList<IReadOnlyList<double>> samplesByPrompt)
    {
        var means = PerPromptMeans(samplesByPrompt);
        double between = means.Length < 2 ? double.NaN : MathNet.Numerics.Statistics.Statistics.Variance(means);
        double withinSum = 0;
        int withinCount = 0;
        foreach (var s in samplesByPrompt)
        {
            if (s.Count < 2) continue;
            withinSum += MathNet.Numerics.Statistics.Statistics.Variance(s);
            withinCount++;
        }
        return (between, withinCount == 0 ? double.NaN : withinSum / withinCount);
    }
}
