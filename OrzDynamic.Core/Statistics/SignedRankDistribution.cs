namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Exact null distribution of the Wilcoxon signed-rank statistic V = W⁺ for n untied, non-zero differences: each of
/// the 2ⁿ sign patterns of the ranks 1..n is equally likely. Counts are exact integers (n ≤ <see cref="MaxN"/>).
/// </summary>
internal sealed class SignedRankDistribution
{
    /// <summary>Largest n handled (2ⁿ must fit a long exactly).</summary>
    public const int MaxN = 60;

    private readonly long[] _cumulative;
    private readonly double _total;

    /// <summary>The distribution for <paramref name="n"/> ranks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> outside [0, <see cref="MaxN"/>].</exception>
    public SignedRankDistribution(int n)
    {
        if (n < 0 || n > MaxN) throw new ArgumentOutOfRangeException(nameof(n), n, $"n must lie in [0, {MaxN}].");
        N = n;
        int max = n * (n + 1) / 2;
        // counts[s] = number of subsets of {1..n} whose ranks sum to s (subset-sum dynamic programme).
        var counts = new long[max + 1];
        counts[0] = 1;
        for (int r = 1; r <= n; r++)
            for (int s = r * (r + 1) / 2; s >= r; s--)
                counts[s] += counts[s - r];
        _cumulative = new long[max + 1];
        long acc = 0;
        for (int s = 0; s <= max; s++) _cumulative[s] = acc += counts[s];
        _total = Math.Pow(2, n);
    }

    /// <summary>Number of ranks.</summary>
    public int N { get; }

    /// <summary>Largest possible value of V, n(n + 1)/2.</summary>
    public int MaxStatistic => _cumulative.Length - 1;

    /// <summary>P(V ≤ <paramref name="v"/>).</summary>
    public double Cdf(int v) => v < 0 ? 0 : v >= MaxStatistic ? 1 : _cumulative[v] / _total;

    /// <summary>Two-sided p-value of an observed V: min(1, 2·min(P(V ≤ v), P(V ≥ v))).</summary>
    public double TwoSidedP(int v)
    {
        double lower = Cdf(v);
        double upper = 1 - Cdf(v - 1);
        // The distribution is symmetric, so P(V ≥ v) = P(V ≤ max − v) computed without cancellation.
        upper = Math.Min(upper, Cdf(MaxStatistic - v));
        return Math.Min(1, 2 * Math.Min(lower, upper));
    }
}
