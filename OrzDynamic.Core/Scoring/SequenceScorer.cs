namespace OrzDynamic.Core.Scoring;

/// <summary>
/// Teacher-forced scoring: one forward pass per batch, then the final hidden states go through lm_head in position
/// chunks straight into <see cref="LearningDynamicsAccumulator"/>, so [T, V] logits are never held. The result equals
/// <see cref="LearningDynamics.GetBatchLogps"/> on the full logits (position t's label is scored by the logits at t − 1).
/// </summary>
internal sealed class SequenceScorer
{
    private readonly CausalLM _model;
    private readonly MetricsOptions _options;

    /// <summary>Creates a scorer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Metric options (chunk size, precision, legacy clamps, traces).</param>
    /// <param name="positionChunk">
    /// Positions projected through lm_head at once. Default: <see cref="DefaultPositionChunk"/> rounded up to a
    /// multiple of the metrics chunk size, so the accumulator sees exactly the same chunks as
    /// <see cref="LearningDynamics.GetBatchLogps"/> would. lm_head streams its whole weight once per position chunk,
    /// so small values are slow; the [chunk, V] float32 logits buffer is the memory cost.
    /// </param>
    /// <param name="computeDType">
    /// Dtype of the scoring pass (default: the weight dtype). A wider dtype than the stored weights (e.g. float32 over
    /// bfloat16-stored weights) converts the weights layer by layer for each pass: exact, no second copy of the model.
    /// </param>
    public SequenceScorer(CausalLM model, MetricsOptions? options = null, int? positionChunk = null, ScalarType? computeDType = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ComputeDType = computeDType ?? model.DType;
        _options = options ?? MetricsOptions.Default;
        if (_options.ChunkSize < 1) throw new ArgumentException($"MetricsOptions.ChunkSize must be positive, got {_options.ChunkSize}.", nameof(options));
        PositionChunk = positionChunk ?? (DefaultPositionChunk + _options.ChunkSize - 1) / _options.ChunkSize * _options.ChunkSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(PositionChunk, 1, nameof(positionChunk));
    }

    /// <summary>Default positions per lm_head chunk (set by the scoring-chunk sweep of the model benchmark).</summary>
    public const int DefaultPositionChunk = 256;

    /// <summary>Positions projected through lm_head at once.</summary>
    public int PositionChunk { get; }

    /// <summary>Dtype in which the scoring passes run.</summary>
    public ScalarType ComputeDType { get; }

    /// <summary>Scores one sequence; <paramref name="labels"/> has the same length, −100 = ignored.</summary>
    /// <exception cref="ArgumentException">Lengths differ, empty sequence, or ids outside the vocabulary.</exception>
    public SequenceMetrics Score(IReadOnlyList<int> sequence, IReadOnlyList<long> labels, bool averageLogProb = false)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var ids = tensor(sequence.Select(i => (long)i).ToArray(), [1, sequence.Count], ScalarType.Int64);
        var y = tensor(labels.ToArray(), [1, labels.Count], ScalarType.Int64);
        return ScoreBatch(ids, y, null, averageLogProb).Rows[0];
    }

    /// <summary>
    /// Scores a batch: <paramref name="inputIds"/> [B, T], <paramref name="labels"/> [B, T] (−100 = ignored),
    /// optional <paramref name="attentionMask"/> [B, T] for left padding (right padding only needs −100 labels).
    /// </summary>
    /// <exception cref="ArgumentException">Shape mismatch or ids/labels outside the vocabulary.</exception>
    public BatchMetrics ScoreBatch(Tensor inputIds, Tensor labels, Tensor? attentionMask = null, bool averageLogProb = false,
        CancellationToken cancellationToken = default) =>
        new(ScoreRows(inputIds, labels, attentionMask, averageLogProb, null, cancellationToken).Select(r => r.All).ToArray());

    /// <summary>
    /// Scores one sequence (<paramref name="inputIds"/> and <paramref name="labels"/> [1, T]) and, in the same pass, the
    /// metrics over each of <paramref name="segments"/> alone: half-open ranges of label positions (position t's label is
    /// scored by the logits at t − 1). A segment's metrics equal <see cref="LearningDynamics.GetBatchLogps"/> with every
    /// label outside the segment set to −100; only the segment's positions are reduced again.
    /// </summary>
    /// <exception cref="ArgumentException">Shape mismatch, ids/labels outside the vocabulary, or a segment outside [1, T).</exception>
    public (SequenceMetrics All, IReadOnlyList<SequenceMetrics> Segments) ScoreWithSegments(Tensor inputIds, Tensor labels,
        IReadOnlyList<(long Start, long End)> segments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (inputIds.dim() != 2 || inputIds.shape[0] != 1)
            throw new ArgumentException($"inputIds must be [1, T], got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        foreach (var (start, end) in segments)
            if (start < 1 || end < start || end > inputIds.shape[1])
                throw new ArgumentException($"Segment [{start}, {end}) lies outside the label positions [1, {inputIds.shape[1]}).", nameof(segments));
        return ScoreRows(inputIds, labels, null, false, segments, cancellationToken)[0];
    }

    private (SequenceMetrics All, IReadOnlyList<SequenceMetrics> Segments)[] ScoreRows(Tensor inputIds, Tensor labels, Tensor? attentionMask,
        bool averageLogProb, IReadOnlyList<(long Start, long End)>? segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputIds.dim() != 2 || labels.dim() != 2 || !inputIds.shape.SequenceEqual(labels.shape))
            throw new ArgumentException($"inputIds [{string.Join(", ", inputIds.shape)}] and labels [{string.Join(", ", labels.shape)}] must both be [B, T].", nameof(labels));
        long b = inputIds.shape[0], t = inputIds.shape[1];
        if (t == 0) throw new ArgumentException("Sequences are empty.", nameof(inputIds));
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var vocab = _model.Config.VocabSize;
        var ids = inputIds.to(ScalarType.Int64);
        if (ids.lt(0).any().item<bool>() || ids.ge(vocab).any().item<bool>())
            throw new ArgumentException($"inputIds contain ids outside the vocabulary [0, {vocab}).", nameof(inputIds));
        var y = labels.to(ScalarType.Int64, _model.Device);
        if (y.ne(LearningDynamics.IgnoreIndex).logical_and(y.lt(0).logical_or(y.ge(vocab))).any().item<bool>())
            throw new ArgumentException($"labels contain values that are neither {LearningDynamics.IgnoreIndex} nor in [0, {vocab}).", nameof(labels));

        using var forward = _model.Forward(ids, attentionMask, logits: LogitsMode.None, returnHiddenStates: true, computeDType: ComputeDType);
        var hidden = forward.HiddenStates!;
        using var lmHead = _model.LmHeadWeightIn(ComputeDType); // converted once per batch, not per chunk
        var rows = new (SequenceMetrics, IReadOnlyList<SequenceMetrics>)[b];
        var segmentOptions = _options with { CollectTokenTraces = false };
        for (long r = 0; r < b; r++)
        {
            using var acc = new LearningDynamicsAccumulator(vocab, _options);
            var parts = (segments ?? []).Select(_ => new LearningDynamicsAccumulator(vocab, segmentOptions)).ToArray();
            try
            {
                for (long start = 0; start < t - 1; start += PositionChunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var chunkScope = NewDisposeScope();
                    var len = Math.Min(PositionChunk, t - 1 - start);
                    var logits = _model.ComputeLogits(hidden[r].narrow(0, start, len), lmHead);
                    acc.Add(logits, y[r].narrow(0, start + 1, len));
                    for (var k = 0; k < parts.Length; k++)
                    {
                        // Label positions [start + 1, start + 1 + len) of this chunk, cut to the segment.
                        long lo = Math.Max(segments![k].Start, start + 1), hi = Math.Min(segments[k].End, start + 1 + len);
                        if (hi > lo) parts[k].Add(logits.narrow(0, lo - start - 1, hi - lo), y[r].narrow(0, lo, hi - lo));
                    }
                }
                rows[r] = (acc.GetResult(averageLogProb), parts.Select(p => p.GetResult(averageLogProb)).ToArray());
            }
            finally
            {
                foreach (var p in parts) p.Dispose();
            }
        }
        return rows;
    }
}
