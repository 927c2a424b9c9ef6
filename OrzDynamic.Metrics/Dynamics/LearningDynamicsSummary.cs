namespace OrzDynamic.Metrics;

/// <summary>
/// Batch summary of <see cref="LearningDynamics.AnalyzeLearningDynamics"/>: plain means over the rows (like the
/// Python tool; a row with M = 0 contributes 0 to the sums and NaN to the means, so NaN propagates), the total
/// number of valid tokens and the match rate pooled over all valid positions.
/// </summary>
public sealed record LearningDynamicsSummary
{
    /// <summary>Number of rows summarised.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Mean over rows of out_token.</summary>
    public required double OutToken { get; init; }

    /// <summary>Mean over rows of out_argmax.</summary>
    public required double OutArgmax { get; init; }

    /// <summary>Mean over rows of out_except_argmax.</summary>
    public required double OutExceptArgmax { get; init; }

    /// <summary>Mean over rows of A_norm.</summary>
    public required double ANorm { get; init; }

    /// <summary>Mean over rows of prob_gap2_mean.</summary>
    public required double ProbGap2Mean { get; init; }

    /// <summary>Mean over rows of prob_energy.</summary>
    public required double ProbEnergy { get; init; }

    /// <summary>Total number of valid positions over all rows.</summary>
    public required long ValidTokens { get; init; }

    /// <summary>Matches (argmax = label) over all valid positions of all rows; NaN when there are none.</summary>
    public required double ArgmaxMatchRate { get; init; }

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
