namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Per-stratum metric aggregates of one dataset at one checkpoint: the input of the comparison chart.
/// </summary>
/// <param name="Dataset">Dataset name (used in the chart title and the file name).</param>
/// <param name="Strata">Stratum → summary. Correct and Incorrect are always drawn (a missing one counts as empty);
/// Random tokens is drawn only when present with a positive answer count.</param>
/// <param name="Checkpoint">Optional checkpoint label shown as the chart subtitle (e.g. "iter90").</param>
public sealed record DatasetComparison(
    string Dataset,
    IReadOnlyDictionary<Stratum, StratumSummary> Strata,
    string? Checkpoint = null)
{
    /// <summary>
    /// Creates a comparison from plain per-stratum metric statistics; each stratum's answer count is taken as the
    /// largest <see cref="MetricStats.Count"/> among its metrics (use the constructor when the exact count is known).
    /// </summary>
    /// <param name="dataset">Dataset name.</param>
    /// <param name="stats">Stratum → metric name → aggregate.</param>
    /// <param name="checkpoint">Optional checkpoint label.</param>
    /// <returns>The comparison.</returns>
    public static DatasetComparison FromStats(
        string dataset,
        IReadOnlyDictionary<Stratum, IReadOnlyDictionary<string, MetricStats>> stats,
        string? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var strata = stats.ToDictionary(
            kv => kv.Key,
            kv => new StratumSummary(kv.Value.Count == 0 ? 0 : kv.Value.Values.Max(m => m.Count), kv.Value));
        return new DatasetComparison(dataset, strata, checkpoint);
    }

    /// <summary>Gets the summary of <paramref name="stratum"/>, or <c>null</c> when the stratum is absent.</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The summary or <c>null</c>.</returns>
    public StratumSummary? Get(Stratum stratum) => Strata.TryGetValue(stratum, out var s) ? s : null;

    /// <summary>Gets the number of answers of <paramref name="stratum"/> (0 when absent).</summary>
    /// <param name="stratum">The stratum.</param>
    /// <returns>The answer count.</returns>
    public int CountOf(Stratum stratum) => Get(stratum)?.AnswerCount ?? 0;

    /// <summary>
    /// Checks that the comparison can be charted and aggregated: a dataset name, known strata, non-negative counts and
    /// standard deviations, named metrics.
    /// </summary>
    /// <exception cref="PlotDataException">The first problem found, naming dataset, record and field.</exception>
    public void Validate() => DataValidation.Validate(this);

    /// <summary>Gets a value indicating whether random-token control data is present (positive answer count).</summary>
    public bool HasRandom => CountOf(Stratum.Random) > 0;

    /// <summary>
    /// Gets the accuracy implied by the counts, Correct / (Correct + Incorrect), as a fraction in [0, 1];
    /// NaN when both counts are zero.
    /// </summary>
    public double Accuracy
    {
        get
        {
            var correct = CountOf(Stratum.Correct);
            var total = correct + CountOf(Stratum.Incorrect);
            return total == 0 ? double.NaN : (double)correct / total;
        }
    }
}
