namespace OrzDynamic.Metrics;

/// <summary>
/// Result of <see cref="LearningDynamics.GetBatchLogps"/>: one <see cref="SequenceMetrics"/> per batch row, plus the
/// same values as per-row arrays (double[] of length B; <see cref="LabelsArgmax"/> is B arrays of length T − 1).
/// </summary>
public sealed class BatchMetrics
{
    /// <summary>Creates the result from its rows.</summary>
    public BatchMetrics(IReadOnlyList<SequenceMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows;
        OutToken = rows.Select(r => r.OutToken).ToArray();
        OutArgmax = rows.Select(r => r.OutArgmax).ToArray();
        OutExceptArgmax = rows.Select(r => r.OutExceptArgmax).ToArray();
        ANorm = rows.Select(r => r.ANorm).ToArray();
        ProbGap2Mean = rows.Select(r => r.ProbGap2Mean).ToArray();
        ProbEnergy = rows.Select(r => r.ProbEnergy).ToArray();
        ArgmaxMatchRate = rows.Select(r => r.ArgmaxMatchRate).ToArray();
        ValidTokens = rows.Select(r => r.ValidTokens).ToArray();
        LabelsArgmax = rows.Select(r => r.LabelsArgmax).ToArray();
    }

    /// <summary>Per-row metrics.</summary>
    public IReadOnlyList<SequenceMetrics> Rows { get; }

    /// <summary>Number of rows B.</summary>
    public int Count => Rows.Count;

    /// <summary>Per-row Σ log p(y_t) (or mean with averageLogProb).</summary>
    public double[] OutToken { get; }

    /// <summary>Per-row Σ log p_max (or mean with averageLogProb).</summary>
    public double[] OutArgmax { get; }

    /// <summary>Per-row Σ log(1 − p_max) (or mean with averageLogProb).</summary>
    public double[] OutExceptArgmax { get; }

    /// <summary>Per-row A_norm.</summary>
    public double[] ANorm { get; }

    /// <summary>Per-row mean ‖p − e_y‖₂.</summary>
    public double[] ProbGap2Mean { get; }

    /// <summary>Per-row mean 1 − p(y).</summary>
    public double[] ProbEnergy { get; }

    /// <summary>Per-row argmax match rate over valid positions.</summary>
    public double[] ArgmaxMatchRate { get; }

    /// <summary>Per-row number of valid positions M.</summary>
    public long[] ValidTokens { get; }

    /// <summary>Per-row argmax ids, [B][T − 1].</summary>
    public long[][] LabelsArgmax { get; }
}
