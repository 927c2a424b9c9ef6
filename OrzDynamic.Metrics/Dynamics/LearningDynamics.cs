using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>
/// Exact, memory-light learning-dynamics metrics (after "Learning Dynamics of LLM Finetuning", and the ORZ fork).
/// <para>
/// Position t's label is scored by the logits at t − 1 (logits[:, :-1] against labels[:, 1:]); only positions whose
/// label is not −100 count, M is their number, p_t = softmax(z_t) and y_t the label. Per row:
/// </para>
/// <list type="bullet">
/// <item>out_token = Σ_t log p_t(y_t); out_argmax = Σ_t log max_v p_t,v; out_except_argmax = Σ_t log(1 − max_v p_t,v)
///   (all three divided by M with averageLogProb);</item>
/// <item>prob_energy = mean_t (1 − p_t(y_t)); prob_gap2_mean = mean_t ‖p_t − e_{y_t}‖₂;</item>
/// <item>A_norm = sqrt(V·(mean_t ‖p_t‖₂)² + V − 2), the Frobenius norm of I − 1pᵀ (optionally the ORZ-clamped
///   variant, see <see cref="MetricsOptions.LegacyOrzClamps"/>);</item>
/// <item>argmax_match_rate = #(argmax = label) / M over valid positions only; labels_argmax = argmax of every
///   position (T − 1 values, valid or not); valid_tokens = M.</item>
/// </list>
/// <para>
/// Everything is computed in log-space from per-position reductions only (max/argmax, logsumexp, ‖p‖² via the same
/// shifted exponentials, z_y, and the log-sum-exp over v ≠ argmax, which makes log(1 − p_max) exact even when p_max
/// rounds to 1), in chunks of <see cref="MetricsOptions.ChunkSize"/> positions on the logits' device: no [B, T, V]
/// temporary is ever created. ‖p − e_y‖² = ‖p‖² − 2p_y + 1 is evaluated in a cancellation-free form.
/// </para>
/// <para>
/// M = 0 (every label ignored, or T ≤ 1): the sums are 0, the means, A_norm and argmax_match_rate are NaN and
/// ValidTokens is 0 (with averageLogProb the averaged sums are NaN too).
/// </para>
/// Unlike the published Python code, out_except_argmax is not NaN when some positions are masked, the match rate
/// ignores masked positions, and no full-size probability, one-hot or difference tensor is materialised.
/// </summary>
public static class LearningDynamics
{
    /// <summary>The label value of ignored positions.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// Per-row learning-dynamics metrics of a batch.
    /// </summary>
    /// <param name="logits">[B, T, V] float32/bfloat16/float16/float64 logits on any device (computation happens there).</param>
    /// <param name="labels">[B, T] int64 labels (any device; moved to the logits' device), −100 = ignored. labels[:, 0]
    /// is never scored (position t's label is predicted by the logits at t − 1) and is not checked.</param>
    /// <param name="averageLogProb">Divide out_token, out_argmax and out_except_argmax by M.</param>
    /// <param name="options">Chunk size, precision, legacy clamps, traces.</param>
    /// <returns>One <see cref="SequenceMetrics"/> per row (also available as per-row arrays).</returns>
    /// <exception cref="ArgumentException">Rank, dtype or shape mismatch, or a label that is neither −100 nor in [0, V).</exception>
    public static BatchMetrics GetBatchLogps(Tensor logits, Tensor labels, bool averageLogProb = false, MetricsOptions? options = null)
    {
        InputValidation.RequireFloatLogits(logits, nameof(logits));
        InputValidation.RequireLongLabels(labels, nameof(labels));
        InputValidation.RequireRank(logits, 3, "[B, T, V]", nameof(logits));
        InputValidation.RequireRank(labels, 2, "[B, T]", nameof(labels));
        if (logits.shape[0] != labels.shape[0] || logits.shape[1] != labels.shape[1])
            throw new ArgumentException(
                $"logits {InputValidation.Shape(logits)} and labels {InputValidation.Shape(labels)} disagree on [B, T].",
                nameof(labels));
        options ??= MetricsOptions.Default;
        options.Validate();
        long b = logits.shape[0], t = logits.shape[1], v = logits.shape[2];
        if (v < 1)
            throw new ArgumentException($"logits has an empty vocabulary dimension (shape {InputValidation.Shape(logits)}).", nameof(logits));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y = labels.device_type == logits.device_type && labels.device_index == logits.device_index
            ? labels
            : labels.to(logits.device);
        // Only labels[:, 1:] are scored; the first column is never read and so not checked.
        if (t > 1)
            InputValidation.RequireLabelRange(y.narrow(1, 1, t - 1), v, nameof(labels), lastDimOffset: 1);

        var rows = new SequenceMetrics[b];
        using var workspace = new ChunkWorkspace(options.Precision == MetricsPrecision.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        for (long row = 0; row < b; row++)
        {
            using var acc = new LearningDynamicsAccumulator(v, options, validateLabels: false, workspace);
            if (t > 1)
                acc.Add(logits[row].narrow(0, 0, t - 1), y[row].narrow(0, 1, t - 1));
            rows[row] = acc.GetResult(averageLogProb);
        }
        return new BatchMetrics(rows);
    }

    /// <summary>
    /// Batch analysis: <see cref="GetBatchLogps"/> (summed log-probabilities), a summary (means over rows, total valid
    /// tokens, pooled argmax match rate), per-row arrays and, when <paramref name="sampleTypes"/> gives a type name
    /// per row (e.g. "chosen", "rejected"), the same analysis per type.
    /// </summary>
    /// <param name="logits">[B, T, V] logits.</param>
    /// <param name="labels">[B, T] int64 labels, −100 = ignored.</param>
    /// <param name="sampleTypes">Optional type name of each row (length B).</param>
    /// <param name="tokenizer">Optional id → text decoder, used only to log decoded argmax tokens when verbose.</param>
    /// <param name="verbose">Log the summary (and per-type summaries and decoded argmax tokens) at Information level.</param>
    /// <param name="logger">Where verbose output goes; nothing is logged when null.</param>
    /// <param name="options">Metric options.</param>
    /// <exception cref="ArgumentException">As <see cref="GetBatchLogps"/>, or sampleTypes of the wrong length / with a null or empty name.</exception>
    public static LearningDynamicsAnalysis AnalyzeLearningDynamics(
        Tensor logits,
        Tensor labels,
        IReadOnlyList<string>? sampleTypes = null,
        Func<int, string>? tokenizer = null,
        bool verbose = false,
        ILogger? logger = null,
        MetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (sampleTypes is not null)
        {
            if (logits.dim() >= 1 && sampleTypes.Count != logits.shape[0])
                throw new ArgumentException(
                    $"sampleTypes has {sampleTypes.Count} entries but the batch has {logits.shape[0]} rows.", nameof(sampleTypes));
            for (var i = 0; i < sampleTypes.Count; i++)
                if (string.IsNullOrEmpty(sampleTypes[i]))
                    throw new ArgumentException($"sampleTypes[{i}] is null or empty.", nameof(sampleTypes));
        }

        var batch = GetBatchLogps(logits, labels, averageLogProb: false, options);
        var analysis = Build(batch.Rows);
        if (sampleTypes is not null)
        {
            var byType = new Dictionary<string, LearningDynamicsAnalysis>(StringComparer.Ordinal);
            foreach (var name in sampleTypes.Distinct(StringComparer.Ordinal))
            {
                var rows = batch.Rows.Where((_, i) => string.Equals(sampleTypes[i], name, StringComparison.Ordinal)).ToArray();
                byType[name] = Build(rows);
            }
            analysis = analysis with { SampleTypes = byType };
        }

        if (verbose)
            Log(logger ?? NullLogger.Instance, analysis, tokenizer);
        return analysis;
    }

    private static LearningDynamicsAnalysis Build(IReadOnlyList<SequenceMetrics> rows) => new()
    {
        Summary = LearningDynamicsSummary.FromRows(rows),
        PerSample = new BatchMetrics(rows),
        SampleTypes = new Dictionary<string, LearningDynamicsAnalysis>(),
    };

    private const int MaxLoggedTokens = 32;

    private static void Log(ILogger logger, LearningDynamicsAnalysis analysis, Func<int, string>? tokenizer)
    {
        if (!logger.IsEnabled(LogLevel.Information)) return;
        var s = analysis.Summary;
        logger.LogInformation(
            "Learning dynamics over {Rows} rows: valid tokens {Valid}, out_token {OutToken:F4}, out_argmax {OutArgmax:F4}, " +
            "out_except_argmax {OutExcept:F4}, A_norm {ANorm:F4}, |p-e|_2 {Gap:F4}, energy (1-p_y) {Energy:F4}, argmax match {Match:P2}",
            s.SampleCount, s.ValidTokens, s.OutToken, s.OutArgmax, s.OutExceptArgmax, s.ANorm, s.ProbGap2Mean, s.ProbEnergy, s.ArgmaxMatchRate);
        foreach (var (name, a) in analysis.SampleTypes)
            logger.LogInformation(
                "  {Type}: rows {Rows}, energy {Energy:F4}, gap {Gap:F4}, A_norm {ANorm:F4}, argmax match {Match:P2}",
                name, a.Summary.SampleCount, a.Summary.ProbEnergy, a.Summary.ProbGap2Mean, a.Summary.ANorm, a.Summary.ArgmaxMatchRate);
        if (tokenizer is null) return;
        for (var row = 0; row < analysis.PerSample.Count; row++)
        {
            var ids = analysis.PerSample.LabelsArgmax[row];
            var shown = ids.Take(MaxLoggedTokens).Select(id => Decode(tokenizer, id));
            logger.LogInformation("  row {Row} argmax tokens{More}: {Tokens}", row,
                ids.Length > MaxLoggedTokens ? $" (first {MaxLoggedTokens} of {ids.Length})" : "",
                string.Join("|", shown));
        }
    }

    private static string Decode(Func<int, string> tokenizer, long id)
    {
        if (id is < int.MinValue or > int.MaxValue) return id.ToString(CultureInfo.InvariantCulture);
        return tokenizer((int)id);
    }

    /// <summary>
    /// The metrics of one position scored alone (only its label set): what <see cref="GetBatchLogps"/> returns for a
    /// row whose labels are all −100 but this one, computed from the position's trace without another forward pass.
    /// </summary>
    /// <param name="trace">A valid trace (label ≠ −100) collected with <see cref="MetricsOptions.CollectTokenTraces"/>.</param>
    /// <param name="vocabSize">Vocabulary size V (for A_norm).</param>
    /// <param name="legacyOrzClamps">Apply the ORZ fork's A_norm clamps.</param>
    /// <exception cref="ArgumentException">The trace is of an ignored position.</exception>
    public static SequenceMetrics SinglePositionMetrics(TokenTrace trace, long vocabSize, bool legacyOrzClamps = false)
    {
        if (!trace.IsValid) throw new ArgumentException($"Position {trace.Position} is ignored (label {IgnoreIndex}); it has no metrics.", nameof(trace));
        double py = Math.Exp(trace.LogProbLabel);
        double normSq = trace.ProbNorm * trace.ProbNorm;
        bool match = trace.Argmax == trace.Label;
        return new SequenceMetrics
        {
            OutToken = trace.LogProbLabel,
            OutArgmax = Math.Log(trace.ProbMax),
            OutExceptArgmax = trace.LogOneMinusProbMax,
            MeanProbNorm = trace.ProbNorm,
            ANorm = ANormFormula.Compute(trace.ProbNorm, vocabSize, legacyOrzClamps),
            ProbGap2Mean = Math.Sqrt(Math.Max(normSq - 2 * py + 1, 0)),
            ProbEnergy = 1 - py,
            ArgmaxMatchRate = match ? 1 : 0,
            ValidTokens = 1,
            ArgmaxMatches = match ? 1 : 0,
            LabelsArgmax = [trace.Argmax],
            AverageLogProb = false,
        };
    }
}
