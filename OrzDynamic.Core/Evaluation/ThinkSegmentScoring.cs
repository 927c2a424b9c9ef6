using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The think and answer segments of one generated response as the score and record stages use them. A response closed
/// by <c>&lt;/think&gt;</c> splits into think (every token before the answer, the tags included) and answer (the
/// tokens after the closing tag, end-of-turn token included), so the two partition the scored response. A response
/// without <c>&lt;/think&gt;</c> or with an unclosed reasoning block gets no segments: it is counted, never guessed.
/// </summary>
internal static class ThinkSegmentScoring
{
    /// <summary>Splits <paramref name="responseIds"/> (as generated and scored) of an answer to <paramref name="prompt"/>.</summary>
    public static ThinkSegments Find(IReadOnlyList<int> responseIds, string prompt, HfTokenizer tokenizer) =>
        ThinkSegments.Find(responseIds, tokenizer, PromptRendering.OpensThink(prompt));

    /// <summary>The spans scored alone: think then answer for a closed response, none otherwise.</summary>
    public static IReadOnlyList<TokenSpan>? Spans(ThinkSegments segments, int responseTokens)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Status != ThinkSegmentStatus.Closed) return null;
        var answerStart = segments.Answer.Start;
        return [new TokenSpan(0, answerStart), new TokenSpan(answerStart, responseTokens - answerStart)];
    }

    /// <summary>The results-line object of <paramref name="segments"/>, with the segment metrics of <paramref name="scored"/>.</summary>
    public static ThinkSegmentRecord Record(ThinkSegments segments, ScoredResponse scored, int responseTokens)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(scored);
        if (Spans(segments, responseTokens) is not { } spans)
            return new ThinkSegmentRecord { Status = segments.Status == ThinkSegmentStatus.Unclosed ? ThinkSegmentRecord.Unclosed : ThinkSegmentRecord.Missing };
        if (scored.Segments.Count != 2) throw new InvalidOperationException($"A closed response needs think and answer metrics, got {scored.Segments.Count}.");
        return new ThinkSegmentRecord
        {
            Status = ThinkSegmentRecord.Closed,
            Reasoning = [segments.Reasoning.Start, segments.Reasoning.Length],
            Think = [spans[0].Start, spans[0].Length],
            Answer = [spans[1].Start, spans[1].Length],
            LdMetricsThink = LdMetrics.From(scored.Segments[0]),
            LdMetricsAnswer = LdMetrics.From(scored.Segments[1]),
        };
    }
}
