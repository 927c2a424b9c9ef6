using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Confidence intervals of the aggregated results: Wilson for accuracy, Student-t for metric means. With several
/// answers per prompt, the prompt is the unit: accuracy and metric intervals are Student-t intervals of per-prompt means.
/// </summary>
internal static class ResultIntervals
{
    /// <summary>
    /// Wilson interval of correct / evaluated (null when nothing was evaluated); with several answers per prompt the
    /// Student-t interval of the per-prompt accuracies (null for fewer than two prompts).
    /// </summary>
    public static ConfidenceInterval? Accuracy(DatasetResult dataset, double level = ConfidenceLevels.Default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.MultiSample is { } multi ? Proportion(multi.AvgAtK, level) : WilsonInterval.Compute(dataset.Correct, dataset.Evaluated, level);
    }

    /// <summary>
    /// Interval of a mean over prompts of per-prompt values in [0, 1] (avg@K, pass@k, maj@K): the Student-t interval of
    /// the per-prompt values, cut to [0, 1]; when every prompt has the same value 0 or 1 (no spread, where the t interval
    /// would shrink to a point), the Wilson interval with the prompts as trials. Null for no prompts, or for fewer than
    /// two prompts with a value strictly between 0 and 1.
    /// </summary>
    public static ConfidenceInterval? Proportion(MetricStats stats, double level = ConfidenceLevels.Default)
    {
        if (!stats.HasMean) return null;
        if (stats.Mean is 0.0 or 1.0 && (stats.Std == 0 || !double.IsFinite(stats.Std)))
            return WilsonInterval.Compute((int)Math.Round(stats.Mean * stats.Count), stats.Count, level);
        if (Mean(stats, level) is not { } ci) return null;
        return ci with { Low = Math.Max(0, ci.Low), High = Math.Min(1, ci.High) };
    }

    /// <summary>Student-t interval of a stratum mean from its mean, std and count; null for fewer than 2 values.</summary>
    public static ConfidenceInterval? Mean(MetricStats stats, double level = ConfidenceLevels.Default) =>
        stats.HasStd ? StudentTInterval.FromSummary(stats.Mean, stats.Std, stats.Count, level) : null;
}
