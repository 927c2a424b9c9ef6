using System.Text;
using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Finds the answer in free text (a model output or a gold solution) from an ordered list of <see cref="AnswerSource"/>s.
/// Every search is a linear scan or a regular expression with a match timeout, so no input can make extraction slow.
/// </summary>
internal static partial class FreeFormExtraction
{
    private const string ThinkClose = "</think>";

    /// <summary>Most boxes or math blocks joined into one listed answer.</summary>
    private const int MaxListParts = 64;

    /// <summary>The sources in their default order.</summary>
    public static readonly IReadOnlyList<AnswerSource> DefaultSources =
    [
        AnswerSource.AnswerTags, AnswerSource.Boxed, AnswerSource.FinalAnswerPhrase, AnswerSource.MathBlock,
        AnswerSource.WholeText, AnswerSource.BareNumber,
    ];

    /// <summary>A number (currency sign, thousands commas, decimals, a simple fraction) with an optional percent suffix.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:[$€£¥₹]\s?)?(?<n>-?(?:\d+(?:,\d+)*(?:\.\d+)?|\.\d+)(?:\s*/\s*\d+)?)(?:\s*(?<pct>\\?%|percent\b|percentage\b|pct\b))?",
        RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Number();

    /// <summary>
    /// What may stand between two parts of one list answer (commas, "and", "or", LaTeX spaces), so that
    /// <c>\boxed{1}, \boxed{2}</c> is read as the answer "1, 2".
    /// </summary>
    [GeneratedRegex(@"^(?:[\s,;$]|\band\b|\bor\b|\\quad|\\qquad|\\,|\\;|\\text\{\s*(?:and|or|,)?\s*\})*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ListSeparator();

    /// <summary>
    /// The answer of <paramref name="text"/> by the first of <paramref name="sources"/> that finds one, or null.
    /// <paramref name="isAnswerLike"/> tells whether a candidate string reads as one mathematical answer.
    /// </summary>
    public static ExtractedAnswer? Extract(string text, IReadOnlyList<AnswerSource> sources, Func<string, bool> isAnswerLike)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sources);
        var region = AfterThink(text);
        foreach (var source in sources)
        {
            string? found = source switch
            {
                AnswerSource.AnswerTags => FromAnswerTags(text),
                AnswerSource.Boxed => LastBoxedGroup(region),
                AnswerSource.FinalAnswerPhrase => AfterPhrase(region, isAnswerLike),
                AnswerSource.MathBlock => LastMathBlockGroup(region, region.Length),
                AnswerSource.WholeText => WholeText(region, isAnswerLike),
                AnswerSource.BareNumber => LastNumber(region),
                _ => null,
            };
            if (found is not null && found.Trim().Length > 0) return new ExtractedAnswer(found.Trim(), source);
        }
        return null;
    }

    /// <summary>The text after the last <c>&lt;/think&gt;</c>, or all of it.</summary>
    public static string AfterThink(string text)
    {
        int i = text.LastIndexOf(ThinkClose, StringComparison.Ordinal);
        return i < 0 ? text : text[(i + ThinkClose.Length)..];
    }

    private static string? FromAnswerTags(string text)
    {
        var final = AnswerExtraction.ExtractFinalAnswer(text);
        return final.Length == 0 ? null : AnswerExtraction.SolutionToAnswer(final);
    }

    /// <summary>A boxed span: the whole command and its content.</summary>
    private readonly record struct Span(int Start, int End, string Content);

    /// <summary>Every <c>\boxed{…}</c> / <c>\fbox{…}</c> with balanced braces, in order.</summary>
    private static List<Span> Boxes(string s)
    {
        var boxes = new List<Span>();
        int i = 0;
        while (i < s.Length)
        {
            int b = s.IndexOf('\\', i);
            if (b < 0) break;
            int nameEnd = b + 1;
            while (nameEnd < s.Length && char.IsAsciiLetter(s[nameEnd])) nameEnd++;
            var name = s[(b + 1)..nameEnd];
            if (name is not ("boxed" or "fbox"))
            {
                i = Math.Max(nameEnd, b + 2);
                continue;
            }
            int j = nameEnd;
            while (j < s.Length && s[j] == ' ') j++;
            if (j < s.Length && s[j] == '{' && MatchingBrace(s, j) is { } close)
            {
                boxes.Add(new Span(b, close + 1, s[(j + 1)..close]));
                i = close + 1;
                continue;
            }
            i = nameEnd;
        }
        return boxes;
    }

    /// <summary>The index of the brace closing the one at <paramref name="open"/>, or null.</summary>
    public static int? MatchingBrace(string s, int open)
    {
        int depth = 0;
        for (int k = open; k < s.Length; k++)
        {
            char c = s[k];
            if (c == '\\') { k++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return k;
        }
        return null;
    }

    private static string? LastBoxedGroup(string region)
    {
        var boxes = Boxes(region);
        if (boxes.Count == 0) return null;
        int first = boxes.Count - 1;
        while (first > 0 && boxes.Count - first < MaxListParts && ListSeparator().IsMatch(region[boxes[first - 1].End..boxes[first].Start])) first--;
        return string.Join(", ", boxes.Skip(first).Select(b => b.Content.Trim()).Where(c => c.Length > 0));
    }

    /// <summary>"final answer … is" or "final answer:" (the phrase that introduces a stated answer).</summary>
    [GeneratedRegex(@"final\s+answer\b(?:[^\n]{0,100}?\s+is\b\s*:?|\s*\**\s*[:：])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FinalAnswerIs();

    /// <summary>"answer is" or "answer:", with optional bold markers.</summary>
    [GeneratedRegex(@"\banswer\b\s*\**\s*(?:is\b\s*:?|[:：])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AnswerColon();

    private static string? AfterPhrase(string region, Func<string, bool> isAnswerLike)
    {
        foreach (var pattern in new[] { FinalAnswerIs(), AnswerColon() })
        {
            var m = LastMatch(pattern, region);
            if (m is null) continue;
            var answer = FromTail(region, m.Index + m.Length, isAnswerLike);
            if (answer is not null) return answer;
        }
        // "Answer" followed closely by a math block: "Answer \[ 9 \]".
        var word = LastMatch(AnswerWord(), region);
        if (word is not null)
        {
            int from = word.Index + word.Length;
            var block = FirstMathBlock(region, from);
            if (block is { } b && b.Start - from <= 50) return LastMathBlockGroup(region, b.End);
        }
        return null;
    }

    /// <summary>
    /// The bare word "answer": when neither phrase gives an answer, a math block shortly after the last one is taken
    /// ("Answer \[ 9 \]").
    /// </summary>
    [GeneratedRegex(@"\banswer\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AnswerWord();

    private static Match? LastMatch(Regex pattern, string s)
    {
        Match? last = null;
        for (var m = pattern.Match(s); m.Success; m = m.NextMatch()) last = m;
        return last;
    }

    /// <summary>The "I hope it is correct." that Minerva-style few-shot answers end with.</summary>
    [GeneratedRegex(@"\s*I hope it is correct\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HopeSuffix();

    /// <summary>The answer stated right after a phrase: a math block near the start, else the rest of the sentence.</summary>
    private static string? FromTail(string region, int from, Func<string, bool> isAnswerLike)
    {
        var block = FirstMathBlock(region, from);
        int lineEnd = NextLineEnd(region, from);
        if (block is { } b && (b.Start < lineEnd || string.IsNullOrWhiteSpace(region[from..b.Start])) && b.Start - from <= 60)
            return LastMathBlockGroupFrom(region, b);
        var line = region[from..lineEnd];
        if (string.IsNullOrWhiteSpace(line) && lineEnd < region.Length)
        {
            int next = NextLineEnd(region, lineEnd + 1);
            line = region[(lineEnd + 1)..next];
        }
        line = HopeSuffix().Replace(line, "").Trim().Trim('*').Trim();
        line = SentenceEnd(line).TrimEnd('.', ' ', '*');
        if (line.Length == 0) return null;
        if (isAnswerLike(line)) return line;
        return FirstNumber(line);
    }

    private static int NextLineEnd(string s, int from)
    {
        int n = s.IndexOf('\n', Math.Min(from, s.Length));
        return n < 0 ? s.Length : n;
    }

    /// <summary>The text up to the first full stop that ends a sentence (a '.' not between digits).</summary>
    private static string SentenceEnd(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] != '.') continue;
            bool digitBefore = i > 0 && char.IsAsciiDigit(line[i - 1]);
            bool digitAfter = i + 1 < line.Length && char.IsAsciiDigit(line[i + 1]);
            if (!(digitBefore && digitAfter) && !(digitAfter && (i == 0 || !char.IsAsciiLetterOrDigit(line[i - 1]))))
                if (i + 1 >= line.Length || char.IsWhiteSpace(line[i + 1])) return line[..i];
        }
        return line;
    }

    /// <summary>A math block: its delimiters' span and content.</summary>
    private readonly record struct Block(int Start, int End, string Content);

    /// <summary>Math blocks of <paramref name="s"/> in order: <c>\[…\]</c>, <c>$$…$$</c>, <c>$…$</c> (one line), <c>\(…\)</c>.</summary>
    private static IEnumerable<Block> MathBlocks(string s, int from = 0)
    {
        int i = from;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '[' or '(')
            {
                var close = s[i + 1] == '[' ? "\\]" : "\\)";
                int end = s.IndexOf(close, i + 2, StringComparison.Ordinal);
                if (end < 0) yield break;
                yield return new Block(i, end + 2, s[(i + 2)..end]);
                i = end + 2;
                continue;
            }
            if (c == '\\') { i += 2; continue; }
            if (c == '$')
            {
                if (i + 1 < s.Length && s[i + 1] == '$')
                {
                    int end = IndexOfUnescaped(s, "$$", i + 2);
                    if (end < 0) yield break;
                    yield return new Block(i, end + 2, s[(i + 2)..end]);
                    i = end + 2;
                    continue;
                }
                if (i > 0 && char.IsAsciiDigit(s[i - 1])) { i++; continue; }
                int close = IndexOfUnescaped(s, "$", i + 1);
                int newline = s.IndexOf('\n', i + 1);
                if (close < 0) yield break;
                if (newline >= 0 && newline < close) { i = newline; continue; }
                yield return new Block(i, close + 1, s[(i + 1)..close]);
                i = close + 1;
                continue;
            }
            i++;
        }
    }

    private static int IndexOfUnescaped(string s, string what, int from)
    {
        for (int k = s.IndexOf(what, from, StringComparison.Ordinal); k >= 0; k = s.IndexOf(what, k + 1, StringComparison.Ordinal))
        {
            int slashes = 0;
            for (int j = k - 1; j >= 0 && s[j] == '\\'; j--) slashes++;
            if (slashes % 2 == 0) return k;
        }
        return -1;
    }

    private static Block? FirstMathBlock(string s, int from)
    {
        foreach (var b in MathBlocks(s, from))
            if (b.Content.Trim().Length > 0) return b;
        return null;
    }

    /// <summary>The last non-empty math block ending at or before <paramref name="limit"/>, joined with the blocks listed before it.</summary>
    private static string? LastMathBlockGroup(string region, int limit)
    {
        var blocks = MathBlocks(region).Where(b => b.End <= limit && b.Content.Trim().Length > 0).ToList();
        if (blocks.Count == 0) return null;
        return Group(region, blocks, blocks.Count - 1);
    }

    private static string LastMathBlockGroupFrom(string region, Block start)
    {
        // From a phrase: the block right after it plus the blocks that continue its list ("$1$, $2$ and $3$").
        var blocks = MathBlocks(region, start.Start).Where(b => b.Content.Trim().Length > 0).ToList();
        int last = 0;
        while (last + 1 < blocks.Count && last + 1 < MaxListParts && ListSeparator().IsMatch(region[blocks[last].End..blocks[last + 1].Start])) last++;
        var sb = new StringBuilder();
        for (int k = 0; k <= last; k++)
        {
            if (k > 0) sb.Append(", ");
            sb.Append(blocks[k].Content.Trim());
        }
        return WithPercent(region, blocks[last].End, sb.ToString());
    }

    private static string Group(string region, List<Block> blocks, int last)
    {
        int first = last;
        while (first > 0 && last - first + 1 < MaxListParts && ListSeparator().IsMatch(region[blocks[first - 1].End..blocks[first].Start])) first--;
        var joined = string.Join(", ", blocks.Skip(first).Take(last - first + 1).Select(b => b.Content.Trim()));
        return WithPercent(region, blocks[last].End, joined);
    }

    /// <summary>A percent sign or word right after a number.</summary>
    [GeneratedRegex(@"^\s*(?:\\?%|percent\b|percentage\b|pct\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PercentSuffix();

    private static string WithPercent(string region, int end, string answer)
        => PercentSuffix().IsMatch(region[end..Math.Min(region.Length, end + 20)]) ? answer + "\\%" : answer;

    private static string? WholeText(string region, Func<string, bool> isAnswerLike)
    {
        var t = region.Trim().TrimEnd('.').Trim();
        if (t.Length == 0 || t.Length > 2000) return null;
        // Boxes and tags belong to their own sources: a text holding them is not one bare answer.
        foreach (var marker in new[] { "\\boxed", "\\fbox", "<answer>", "</answer>", "<think>" })
            if (t.Contains(marker, StringComparison.Ordinal)) return null;
        return isAnswerLike(t) ? t : null;
    }

    private static string? LastNumber(string region)
    {
        var m = LastMatch(Number(), region);
        return m is null ? null : NumberText(m);
    }

    private static string? FirstNumber(string line)
    {
        var m = Number().Match(line);
        return m.Success ? NumberText(m) : null;
    }

    /// <summary>
    /// A number written in prose: thousands groups (<c>1,000,000</c>) are joined; a single comma is a decimal comma when
    /// the integer part is 0 or has four or more digits (<c>1000,99</c>); otherwise the last comma-separated number counts.
    /// </summary>
    private static string NumberText(Match m)
    {
        var n = m.Groups["n"].Value.Replace(" ", "");
        var pct = m.Groups["pct"].Success ? "\\%" : "";
        if (!n.Contains(',')) return n + pct;
        if (ThousandsGrouping.IsGrouped(n)) return n.Replace(",", "") + pct;
        var parts = n.Split(',');
        if (parts.Length == 2 && !parts[1].Contains('.'))
        {
            var intPart = parts[0].TrimStart('-');
            if (intPart == "0" || intPart.Length >= 4) return parts[0] + "." + parts[1] + pct;
        }
        return parts[^1] + pct;
    }
}
