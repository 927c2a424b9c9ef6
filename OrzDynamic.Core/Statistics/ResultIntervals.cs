using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;

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
        return dataset.MultiSample is { } multi ? Mean(multi.AvgAtK, level) : WilsonInterval.Compute(dataset.Correct, dataset.Evaluated, level);
    }

    /// <summary>Student-t interval of a stratum mean from its mean, std and count; null for fewer than 2 values.</summary>
    public static ConfidenceInterval? Mean(MetricStats stats, double level = ConfidenceLevels.Default) =>
        stats.HasStd ? StudentTInterval.FromSummary(stats.Mean, stats.Std, stats.Count, level) : null;
}
