using System.Buffers;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// Splits raw text into plain segments and added-token matches (leftmost, then longest match), honouring the
/// tokens' lstrip / rstrip / single_word flags.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ThenBy(t => t.Id).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
    }

    /// <summary>A piece of the input: either plain text (<see cref="Token"/> null) or one added token.</summary>
    public readonly record struct Segment(int Start, int Length, AddedToken? Token);

    public List<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        var plainStart = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var rel = _byFirstChar.Count == 0 ? -1 : text.AsSpan(pos).IndexOfAny(_firstChars);
            if (rel < 0) break;
            pos += rel;
            var token = MatchAt(text, pos);
            if (token is null) { pos++; continue; }

            var matchStart = pos;
            var matchEnd = pos + token.Content.Length;
            if (token.LStrip)
                while (matchStart > plainStart && char.IsWhiteSpace(text[matchStart - 1])) matchStart--;
            if (token.RStrip)
                while (matchEnd < text.Length && char.IsWhiteSpace(text[matchEnd])) matchEnd++;
            if (matchStart > plainStart) segments.Add(new Segment(plainStart, matchStart - plainStart, null));
            segments.Add(new Segment(matchStart, matchEnd - matchStart, token));
            plainStart = pos = matchEnd;
        }
        if (plainStart < text.Length) segments.Add(new Segment(plainStart, text.Length - plainStart, null));
        return segments;
    }

    private AddedToken? MatchAt(string text, int pos)
    {
        if (!_byFirstChar.TryGetValue(text[pos], out var candidates)) return null;
        foreach (var candidate in candidates)
        {
            if (string.CompareOrdinal(text, pos, candidate.Content, 0, candidate.Content.Length) != 0 || pos + candidate.Content.Length > text.Length) continue;
            if (candidate.SingleWord && !IsWordBoundary(text, pos, pos + candidate.Content.Length)) continue;
            return candidate;
        }
        return null;
    }

    private static bool IsWordBoundary(string text, int start, int end)
    {
        var leftOk = start == 0 || !IsWordChar(text[start - 1]);
        var rightOk = end >= text.Length || !IsWordChar(text[end]);
        return leftOk && rightOk;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
