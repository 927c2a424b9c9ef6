namespace OrzDynamic.Core.Probes;

/// <summary>The mean of one metric over one stratum of one probe source at one checkpoint.</summary>
/// <param name="Source">Dataset (answer probes) or custom-sentence file stem.</param>
/// <param name="Stratum">"all", "correct" / "incorrect" (reference answer), or a custom-sentence group.</param>
/// <param name="Metric">Metric name (see <see cref="OrzDynamic.Metrics.LdMetricKeys"/>).</param>
/// <param name="Iteration">Training iteration of the checkpoint.</param>
/// <param name="Checkpoint">Checkpoint name.</param>
/// <param name="Mean">Mean over the stratum's valid items (NaN when none).</param>
/// <param name="Std">Sample standard deviation (0 for one item, NaN for none).</param>
/// <param name="Count">Valid items.</param>
internal sealed record ProbeTrendPoint(string Source, string Stratum, string Metric, int Iteration, string Checkpoint, double Mean, double Std, int Count);
