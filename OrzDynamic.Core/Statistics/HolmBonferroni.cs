namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Holm's step-down Bonferroni adjustment (Holm 1979): with the m testable p-values sorted ascending,
/// p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where p̃ &lt; α controls the family-wise error rate at α under
/// any dependence between the tests. Untestable entries (null) are not part of the family and stay null.
/// </summary>
internal static class HolmBonferroni
{
    /// <summary>Adjusted p-values, aligned with <paramref name="pValues"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A p-value outside [0, 1] or NaN.</exception>
    public static double?[] Adjust(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        for (int i = 0; i < pValues.Count; i++)
            if (pValues[i] is { } p && !(p >= 0 && p <= 1))
                throw new ArgumentOutOfRangeException(nameof(pValues), p, $"p-value #{i} is not in [0, 1].");
        var order = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null)
            .OrderBy(i => pValues[i]!.Value).ThenBy(i => i).ToArray();
        var adjusted = new double?[pValues.Count];
        int m = order.Length;
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]!.Value));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
