namespace OrzDynamic.Metrics;

/// <summary>
/// Describes one per-answer learning-dynamics metric: its key (results keys, JSONL, CSV, chart titles), what it
/// measures, which direction means "more confident in the scored tokens", whether the standard charts show it, and
/// the <see cref="Domain"/> of its values.
/// The one table of these is <see cref="LdMetricKeys.Descriptors"/>.
/// </summary>
/// <param name="Key">The metric's name in results keys and files, e.g. <c>prob_energy</c>.</param>
/// <param name="Description">One-line definition (M = number of scored positions).</param>
/// <param name="HigherIsBetter">True when a larger value means the model puts more mass on the scored tokens;
/// null when the metric has no such direction (e.g. a count).</param>
/// <param name="Charted">True for the five metrics the Python tool charts.</param>
public sealed record LdMetricDescriptor(string Key, string Description, bool? HigherIsBetter, bool Charted)
{
    /// <summary>Gets the interval the metric's per-answer values (and so their means) lie in; charts clip bands such
    /// as mean ± std to it. <see cref="MetricDomain.Unbounded"/> unless the table says otherwise.</summary>
    public MetricDomain Domain { get; init; } = MetricDomain.Unbounded;
}
