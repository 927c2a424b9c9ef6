using OrzDynamic.Core.Scoring;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Evaluation;

/// <summary>One teacher-forced scoring of prompt + response.</summary>
/// <param name="Metrics">Metrics over the response positions.</param>
/// <param name="Traces">Per-position traces (position i predicts token i + 1 of prompt + response).</param>
/// <param name="Segments">Metrics over each requested span of response tokens alone (empty when none was asked for).</param>
internal sealed record ScoredResponse(SequenceMetrics Metrics, IReadOnlyList<TokenTrace> Traces, IReadOnlyList<SequenceMetrics> Segments);

/// <summary>
/// Scores prompt+response pairs in teacher-forced passes with the prompt masked (−100), through the chunked lm_head
/// path of <see cref="SequenceScorer"/>. Batch-invariant by construction: every pair is scored alone, in its own
/// forward pass of batch 1 without padding (the fused causal attention kernel), with position chunks that depend only
/// on the pair's length. So a pair's metrics are bit-identical whichever other pairs are scored in the same call, and
/// a resumed run (which scores a different set of leftover pairs) reproduces the uninterrupted run's records exactly.
/// Memory is linear in the pair's length (see <see cref="Models.AttentionPath"/>).
/// </summary>
internal sealed class ResponseScorer
{
    private readonly SequenceScorer _scorer;

    /// <summary>
    /// Creates a scorer for <paramref name="model"/> with the metric settings of <paramref name="config"/>, running in
    /// <paramref name="computeDType"/> (default: the weight dtype; see <see cref="SequenceScorer"/>).
    /// </summary>
    public ResponseScorer(CausalLM model, HfTokenizer tokenizer, EvaluatorConfig config, ScalarType? computeDType = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(config);
        var options = new MetricsOptions { LegacyOrzClamps = config.LegacyOrzClamps, CollectTokenTraces = true };
        _scorer = new SequenceScorer(model, options, config.ScoringChunkSize, computeDType);
    }

    /// <summary>
    /// Scores every pair (each alone); results in input order. <paramref name="segments"/>, when given, holds for each
    /// pair the spans of response tokens whose metrics are wanted alone as well (null or empty: none).
    /// </summary>
    public IReadOnlyList<ScoredResponse> Score(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Response)> pairs,
        CancellationToken cancellationToken = default, IReadOnlyList<IReadOnlyList<TokenSpan>?>? segments = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (segments is not null && segments.Count != pairs.Count)
            throw new ArgumentException($"{segments.Count} segment lists for {pairs.Count} pairs.", nameof(segments));
        var results = new ScoredResponse[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = ScoreOne(pairs[i].Prompt, pairs[i].Response, segments?[i] ?? [], cancellationToken);
        }
        return results;
    }

    private ScoredResponse ScoreOne(IReadOnlyList<int> prompt, IReadOnlyList<int> response, IReadOnlyList<TokenSpan> segments, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        int len = prompt.Count + response.Count;
        var ids = new long[len];
        var labels = new long[len];
        for (int k = 0; k < prompt.Count; k++)
        {
            ids[k] = prompt[k];
            labels[k] = LearningDynamics.IgnoreIndex;
        }
        for (int k = 0; k < response.Count; k++)
        {
            ids[prompt.Count + k] = response[k];
            labels[prompt.Count + k] = response[k];
        }
        if (segments.Count == 0)
        {
            var m = _scorer.ScoreBatch(tensor(ids, [1, len]), tensor(labels, [1, len]), cancellationToken: ct).Rows[0];
            return new ScoredResponse(m, m.TokenTraces ?? [], []);
        }
        // Response token k is the label of sequence position prompt + k.
        var spans = segments.Select(s => ((long)prompt.Count + s.Start, (long)prompt.Count + s.End)).ToArray();
        var (all, parts) = _scorer.ScoreWithSegments(tensor(ids, [1, len]), tensor(labels, [1, len]), spans, ct);
        return new ScoredResponse(all, all.TokenTraces ?? [], parts);
    }
}
