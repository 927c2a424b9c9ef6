namespace OrzDynamic.Core.Statistics;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021): with n samples of a prompt of which c are correct, the chance
/// that k samples drawn without replacement contain at least one correct one, 1 − C(n−c, k)/C(n, k). Computed as
/// 1 − ∏_{i=n−c+1}^{n} (1 − k/i), a product of c factors in (0, 1], which never forms a binomial coefficient and so
/// neither overflows nor cancels for large n.
/// </summary>
internal static class PassAtK
{
    /// <summary>pass@k of one prompt with <paramref name="n"/> samples, <paramref name="correct"/> of them correct.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 ≤ correct ≤ n, or not 1 ≤ k ≤ n.</exception>
    public static double Estimate(int n, int correct, int k)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "pass@k needs at least one sample.");
        if (correct < 0 || correct > n) throw new ArgumentOutOfRangeException(nameof(correct), correct, $"The correct count must lie in [0, {n}].");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {n}] for {n} samples.");
        if (n - correct < k) return 1.0;          // every k-subset holds a correct sample
        double allWrong = 1.0;
        for (int i = n - correct + 1; i <= n; i++) allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }

    /// <summary>
    /// The mean pass@k over prompts, each given as (samples, correct). Every prompt must have at least k samples.
    /// </summary>
    /// <exception cref="ArgumentException">No prompts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A prompt has fewer than k samples or an impossible count.</exception>
    public static double Mean(IReadOnlyCollection<(int Samples, int Correct)> prompts, int k)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("pass@k of no prompts is undefined.", nameof(prompts));
        double sum = 0;
        foreach (var (n, c) in prompts) sum += Estimate(n, c, k);
        return sum / prompts.Count;
    }

    /// <summary>The k reported for <paramref name="samples"/> samples per prompt: 1, 2, 4, … (powers of two below it) and the count itself.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one sample.</exception>
    public static IReadOnlyList<int> ReportedKs(int samples)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one sample per prompt.");
        var ks = new List<int>();
        for (int k = 1; k < samples; k *= 2) ks.Add(k);
        ks.Add(samples);
        return ks;
    }
}
