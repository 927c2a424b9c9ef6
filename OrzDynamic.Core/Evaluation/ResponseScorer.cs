using OrzDynamic.Core.Models;
using OrzDynamic.Core.Scoring;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Evaluation;

/// <summary>One teacher-forced scoring of prompt + response.</summary>
/// <param name="Metrics">Metrics over the response positions.</param>
/// <param name="Traces">Per-position traces (position i predicts token i + 1 of prompt + response).</param>
public sealed record ScoredResponse(SequenceMetrics Metrics, IReadOnlyList<TokenTrace> Traces);

/// <summary>
/// Scores prompt+response pairs in teacher-forced passes with the prompt masked (−100), through the chunked lm_head
/// path of <see cref="SequenceScorer"/>. Pairs are right-padded into batches of at most
/// <see cref="TokenBudget"/> tokens (padding carries −100 labels, so it changes nothing).
/// </summary>
public sealed class ResponseScorer
{
    /// <summary>Tokens (rows × padded length) scored in one forward pass at most.</summary>
    public const int TokenBudget = 8192;

    private readonly SequenceScorer _scorer;
    private readonly int _padId;

    /// <summary>
    /// Creates a scorer for <paramref name="model"/> with the metric settings of <paramref name="config"/>, running in
    /// <paramref name="computeDType"/> (default: the weight dtype; see <see cref="SequenceScorer"/>).
    /// </summary>
    public ResponseScorer(CausalLM model, HfTokenizer tokenizer, EvaluatorConfig config, ScalarType? computeDType = null)
    {
        var options = new MetricsOptions { LegacyOrzClamps = config.LegacyOrzClamps, CollectTokenTraces = true };
        _scorer = new SequenceScorer(model, options, config.ScoringChunkSize, computeDType);
        _padId = tokenizer.PadTokenId ?? 0;
    }

    /// <summary>Scores every pair; results in input order.</summary>
    public IReadOnlyList<ScoredResponse> Score(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Response)> pairs,
        CancellationToken cancellationToken = default)
    {
        var results = new ScoredResponse[pairs.Count];
        int i = 0;
        while (i < pairs.Count)
        {
            int j = i + 1, maxLen = Length(pairs[i]);
            while (j < pairs.Count && (j - i + 1) * Math.Max(maxLen, Length(pairs[j])) <= TokenBudget)
                maxLen = Math.Max(maxLen, Length(pairs[j++]));
            ScoreGroup(pairs, i, j, maxLen, results, cancellationToken);
            i = j;
        }
        return results;
    }

    private static int Length((IReadOnlyList<int> Prompt, IReadOnlyList<int> Response) p) => p.Prompt.Count + p.Response.Count;

    private void ScoreGroup(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Response)> pairs, int from, int to, int maxLen,
        ScoredResponse[] results, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        int rows = to - from;
        var ids = new long[rows * maxLen];
        var labels = new long[rows * maxLen];
        Array.Fill(ids, _padId);
        Array.Fill(labels, LearningDynamics.IgnoreIndex);
        for (int r = 0; r < rows; r++)
        {
            var (prompt, response) = pairs[from + r];
            int o = r * maxLen;
            for (int k = 0; k < prompt.Count; k++) ids[o + k] = prompt[k];
            for (int k = 0; k < response.Count; k++)
            {
                ids[o + prompt.Count + k] = response[k];
                labels[o + prompt.Count + k] = response[k];
            }
        }
        var batch = _scorer.ScoreBatch(tensor(ids, [rows, maxLen]), tensor(labels, [rows, maxLen]), cancellationToken: ct);
        for (int r = 0; r < rows; r++)
        {
            var m = batch.Rows[r];
            var len = Length(pairs[from + r]);
            results[from + r] = new ScoredResponse(m, (m.TokenTraces ?? []).Take(len - 1).ToArray());
        }
    }
}
