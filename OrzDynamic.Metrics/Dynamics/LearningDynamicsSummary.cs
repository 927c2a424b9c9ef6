namespace OrzDynamic.Metrics;

/// <summary>
/// Batch summary of <see cref="LearningDynamics.AnalyzeLearningDynamics"/>: plain means over the rows (like the
/// Python tool; a row with M = 0 contributes 0 to the sums and NaN to the means, so NaN propagates), the total
/// number of valid tokens and the match rate pooled over all valid positions. The inherited values are these
/// means (out_token … prob_energy), the total <see cref="LdMetrics.ValidTokens"/> and the pooled
/// <see cref="LdMetrics.ArgmaxMatchRate"/>.
/// </summary>
public sealed record LearningDynamicsSummary : LdMetrics
{
    /// <summary>Number of rows summarised.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Builds the summary of the given rows.</summary>
    public static LearningDynamicsSummary FromRows(IReadOnlyList<SequenceMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double mean(Func<SequenceMetrics, double> f) => rows.Count == 0 ? double.NaN : rows.Average(f);
        var valid = rows.Sum(r => r.ValidTokens);
        var matches = rows.Sum(r => r.ArgmaxMatches);
        return new LearningDynamicsSummary
        {
            SampleCount = rows.Count,
            OutToken = mean(r => r.OutToken),
            OutArgmax = mean(r => r.OutArgmax),
            OutExceptArgmax = mean(r => r.OutExceptArgmax),
            ANorm = mean(r => r.ANorm),
            ProbGap2Mean = mean(r => r.ProbGap2Mean),
            ProbEnergy = mean(r => r.ProbEnergy),
            ValidTokens = valid,
            ArgmaxMatchRate = valid == 0 ? double.NaN : (double)matches / valid,
        };
    }
}
