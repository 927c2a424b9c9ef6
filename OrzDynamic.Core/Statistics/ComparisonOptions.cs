namespace OrzDynamic.Core.Statistics;

/// <summary>Settings of <see cref="CheckpointComparer"/>.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Level of the effect intervals (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = ConfidenceLevels.Default;

    /// <summary>A change is significant when its Holm-adjusted p-value is below this (default 0.05).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Per-answer metrics to compare (default: every metric of <see cref="LdMetricKeys.All"/>).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = LdMetricKeys.All;

    /// <summary>Throws on a level or alpha outside (0, 1), an empty metric list or an unknown metric.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ConfidenceLevels.Validate(ConfidenceLevel, nameof(ConfidenceLevel));
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must lie strictly between 0 and 1.");
        if (Metrics.Count == 0) throw new ArgumentOutOfRangeException(nameof(Metrics), "At least one metric is needed.");
        foreach (var m in Metrics)
            if (!LdMetricKeys.All.Contains(m, StringComparer.Ordinal))
                throw new ArgumentOutOfRangeException(nameof(Metrics), m, $"Unknown metric '{m}'; known: {string.Join(", ", LdMetricKeys.All)}.");
    }
}
