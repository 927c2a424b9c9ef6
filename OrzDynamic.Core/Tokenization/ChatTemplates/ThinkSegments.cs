namespace OrzDynamic.Core.Tokenization;

/// <summary>A half-open range of token positions [<see cref="Start"/>, <see cref="End"/>) in a response.</summary>
/// <param name="Start">First position.</param>
/// <param name="Length">Number of tokens.</param>
internal readonly record struct TokenSpan(int Start, int Length)
{
    /// <summary>One past the last position.</summary>
    public int End => Start + Length;

    /// <summary>True when the span holds no token.</summary>
    public bool IsEmpty => Length == 0;
}

/// <summary>How a response relates to the <c>&lt;think&gt;…&lt;/think&gt;</c> reasoning block.</summary>
internal enum ThinkSegmentStatus
{
    /// <summary>A <c>&lt;/think&gt;</c> closes the reasoning: both segments are known.</summary>
    Closed,

    /// <summary>No <c>&lt;/think&gt;</c> and no reasoning was opened: the whole response is the answer.</summary>
    NoCloseTag,

    /// <summary>Reasoning was opened (by <c>&lt;think&gt;</c> in the response or by the prompt) but never closed: the
    /// whole rest of the response is reasoning and there is no answer (typically a generation cut at its length limit).</summary>
    Unclosed,
}

/// <summary>
/// The reasoning and answer segments of a generated response, as token spans, split at the first <c>&lt;/think&gt;</c>.
/// Reasoning starts after an opening <c>&lt;think&gt;</c> in the response, or at the first token when the prompt
/// already opened it (Qwen3 and DeepSeek-R1-Distill prompts end with <c>&lt;think&gt;\n</c>). The tags' own tokens
/// belong to neither segment; a token that carries part of a tag together with other text counts as tag.
/// </summary>
internal sealed record ThinkSegments
{
    /// <summary>The opening tag.</summary>
    public const string OpenTag = "<think>";

    /// <summary>The closing tag.</summary>
    public const string CloseTag = "</think>";

    /// <summary>Whether the reasoning was closed, absent or unclosed.</summary>
    public required ThinkSegmentStatus Status { get; init; }

    /// <summary>The reasoning tokens (empty for <see cref="ThinkSegmentStatus.NoCloseTag"/>).</summary>
    public required TokenSpan Reasoning { get; init; }

    /// <summary>The answer tokens after <c>&lt;/think&gt;</c> (the whole response for <see cref="ThinkSegmentStatus.NoCloseTag"/>,
    /// empty for <see cref="ThinkSegmentStatus.Unclosed"/>).</summary>
    public required TokenSpan Answer { get; init; }

    /// <summary>The tokens of the opening tag inside the response, or null when the response has none.</summary>
    public TokenSpan? OpenTagTokens { get; init; }

    /// <summary>The tokens of the closing tag, or null when there is none.</summary>
    public TokenSpan? CloseTagTokens { get; init; }

    /// <summary>
    /// Splits <paramref name="responseIds"/> (the generated tokens only, without the prompt). Tags are found in the text
    /// of each token, so they are recognized whether the vocabulary has them as single added tokens (Qwen3,
    /// DeepSeek-R1-Distill) or spells them over several tokens.
    /// </summary>
    /// <param name="responseIds">The response's token ids.</param>
    /// <param name="tokenizer">The tokenizer that produced them.</param>
    /// <param name="promptOpensThink">True when the prompt ends inside an opened <c>&lt;think&gt;</c> block, so the response starts with reasoning.</param>
    public static ThinkSegments Find(IReadOnlyList<int> responseIds, HfTokenizer tokenizer, bool promptOpensThink = false)
    {
        ArgumentNullException.ThrowIfNull(responseIds);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var pieces = new string[responseIds.Count];
        for (var i = 0; i < pieces.Length; i++) pieces[i] = tokenizer.Decode([responseIds[i]], skipSpecialTokens: false, cleanUpTokenizationSpaces: false);
        return FromTokenTexts(pieces, promptOpensThink);
    }

    /// <summary>The split for tokens whose texts are <paramref name="tokenTexts"/> (one string per token).</summary>
    public static ThinkSegments FromTokenTexts(IReadOnlyList<string> tokenTexts, bool promptOpensThink = false)
    {
        ArgumentNullException.ThrowIfNull(tokenTexts);
        var text = new StringBuilder();
        var starts = new int[tokenTexts.Count + 1];
        for (var i = 0; i < tokenTexts.Count; i++)
        {
            starts[i] = text.Length;
            text.Append(tokenTexts[i]);
        }
        starts[tokenTexts.Count] = text.Length;
        var all = text.ToString();
        var count = tokenTexts.Count;

        var close = all.IndexOf(CloseTag, StringComparison.Ordinal);
        var openSearchEnd = close < 0 ? all.Length : close;
        var open = all.IndexOf(OpenTag, 0, openSearchEnd, StringComparison.Ordinal);
        TokenSpan? openTokens = open < 0 ? null : Covering(starts, open, OpenTag.Length);
        var reasoningStart = openTokens?.End ?? 0;

        if (close < 0)
        {
            if (openTokens is null && !promptOpensThink)
                return new ThinkSegments { Status = ThinkSegmentStatus.NoCloseTag, Reasoning = new TokenSpan(0, 0), Answer = new TokenSpan(0, count) };
            return new ThinkSegments
            {
                Status = ThinkSegmentStatus.Unclosed,
                Reasoning = new TokenSpan(reasoningStart, count - reasoningStart),
                Answer = new TokenSpan(count, 0),
                OpenTagTokens = openTokens,
            };
        }
        var closeTokens = Covering(starts, close, CloseTag.Length);
        var reasoningEnd = Math.Max(reasoningStart, closeTokens.Start);
        return new ThinkSegments
        {
            Status = ThinkSegmentStatus.Closed,
            Reasoning = new TokenSpan(reasoningStart, reasoningEnd - reasoningStart),
            Answer = new TokenSpan(closeTokens.End, count - closeTokens.End),
            OpenTagTokens = openTokens,
            CloseTagTokens = closeTokens,
        };
    }

    /// <summary>The tokens whose text overlaps characters [<paramref name="at"/>, at + <paramref name="length"/>).</summary>
    private static TokenSpan Covering(int[] starts, int at, int length)
    {
        var count = starts.Length - 1;
        var first = 0;
        while (first < count && starts[first + 1] <= at) first++;
        var last = first;
        while (last + 1 < count && starts[last + 1] < at + length) last++;
        return new TokenSpan(first, last - first + 1);
    }
}
