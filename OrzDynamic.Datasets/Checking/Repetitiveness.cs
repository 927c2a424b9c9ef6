namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Detects highly repetitive strings (degenerate model outputs) the way the ORZ checker does: the sum of the
/// longest-common-prefix lengths of adjacent sorted suffixes, relative to n(n+1)/2, exceeds 0.2.
/// Runs in O(n log² n) (prefix-doubling suffix array + Kasai LCP).
/// </summary>
internal static class Repetitiveness
{
    /// <summary>Answers longer than this are checked for repetitiveness before any parsing.</summary>
    public const int LengthThreshold = 128;

    /// <summary>The repeated-substring ratio of <paramref name="s"/>: 2·ΣLCP / (n(n+1)); 0 for n ≤ 1.</summary>
    public static double Ratio(string s, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        int n = s.Length;
        if (n <= 1) return 0;
        var sa = SuffixArray(s, cancellationToken);
        var rank = new int[n];
        for (int i = 0; i < n; i++) rank[sa[i]] = i;
        long sum = 0;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            if (rank[i] == n - 1) { k = 0; continue; }
            int j = sa[rank[i] + 1];
            while (i + k < n && j + k < n && s[i + k] == s[j + k]) k++;
            sum += k;
            if (k > 0) k--;
        }
        return sum * 2.0 / ((double)n * (n + 1));
    }

    /// <summary>True when <see cref="Ratio"/> exceeds 0.2.</summary>
    public static bool IsRepetitive(string s, CancellationToken cancellationToken = default) => Ratio(s, cancellationToken) > 0.2;

    /// <summary>True for strings longer than <see cref="LengthThreshold"/> that are <see cref="IsRepetitive"/> (such answers are judged wrong without parsing).</summary>
    public static bool IsLongAndRepetitive(string s, CancellationToken cancellationToken = default)
        => s.Length > LengthThreshold && IsRepetitive(s, cancellationToken);

    private static int[] SuffixArray(string s, CancellationToken ct)
    {
        int n = s.Length;
        var sa = new int[n];
        var rank = new int[n];
        var tmp = new int[n];
        for (int i = 0; i < n; i++) { sa[i] = i; rank[i] = s[i]; }
        for (int k = 1; ; k <<= 1)
        {
            ct.ThrowIfCancellationRequested();
            int kk = k;
            int[] r = rank;
            Comparison<int> cmp = (a, b) =>
            {
                if (r[a] != r[b]) return r[a].CompareTo(r[b]);
                int ra = a + kk < n ? r[a + kk] : -1;
                int rb = b + kk < n ? r[b + kk] : -1;
                return ra.CompareTo(rb);
            };
            Array.Sort(sa, cmp);
            tmp[sa[0]] = 0;
            for (int i = 1; i < n; i++) tmp[sa[i]] = tmp[sa[i - 1]] + (cmp(sa[i - 1], sa[i]) < 0 ? 1 : 0);
            (rank, tmp) = (tmp, rank);
            if (rank[sa[n - 1]] == n - 1 || k >= n) break;
        }
        return sa;
    }
}
