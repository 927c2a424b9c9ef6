using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// The final-answer normalisation of the Minerva paper (Lewkowycz et al. 2022, appendix; <c>normalize_final_answer</c>)
/// as used by the ORZ checker: textual substitutions, removal of unit words and decorations, unwrapping of
/// <c>$…$</c>, <c>\text{}</c>, <c>\textbf{}</c>, <c>\overline{}</c>, <c>\boxed{}</c>, shorthand <c>\fracab</c>/<c>\sqrta</c>,
/// and thousands separators.
/// </summary>
/// <remarks>
/// One deliberate difference from the Python code: articles ("a", "an") and unit words ("ft", "cm", "square"…) are
/// removed only as whole words (a run of letters with no letter on either side) and never inside a command name. The
/// Python code removes them as substrings, which turns <c>\left(</c> into <c>\le(</c>, <c>\sigma</c> into <c>\sia</c>
/// and <c>\Delta x</c> into <c>\Deltx</c>. Words are found before spaces are removed, so "5 square feet" still
/// becomes "5". Decorations that are commands (<c>\ldots</c>, <c>\dots</c>…) are removed only as whole commands.
/// </remarks>
internal static partial class MinervaNormalizer
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Articles removed (as whole words followed by a space) first.</summary>
    public static IReadOnlyList<string> Articles { get; } = ["an", "a"];

    /// <summary>Literal substitutions applied next, in order (the Python list without the articles).</summary>
    public static IReadOnlyList<(string Before, string After)> Substitutions { get; } =
    [
        (".$", "$"), ("\\$", ""), ("\\ ", ""), (" ", ""), ("\\mbox", "\\text"),
        (",\\text{and}", ","), ("\\text{and}", ","), ("\\text{m}", "\\text{}"),
    ];

    /// <summary>Unit words, removed as whole words (never inside a command name).</summary>
    public static IReadOnlyList<string> UnitWords { get; } =
    [
        "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units", "sue",
        "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm", "pounds", "meters", "meals", "edges",
        "students", "childrentickets", "multiples",
    ];

    private static readonly HashSet<string> UnitWordSet = new(UnitWords, StringComparer.Ordinal);

    /// <summary>Decorations removed after the substitutions, in order (a command is removed only as a whole command).</summary>
    public static IReadOnlyList<string> RemovedExpressions { get; } =
    [
        "\\ldots", "\\text{s}", "\\text{.}", "\\text{\ns}", "\\text{}^2", "\\text{}^3",
        "\\text{\n}", "\\text{}", "\\mathrm{th}", "^\\circ", "^{\\circ}", "\\;", ",\\!", "{,}", "\"", "\\dots",
    ];

    /// <summary>A text/roman wrapper left empty (or holding only spacing) by the unit removal, with a unit power.</summary>
    [GeneratedRegex(@"\\(?:text|textrm|mathrm|mbox|textnormal)\{(?:\s|~|\\[,;:! ])*\}(?:\^(?:[23]|\{[23]\}))?", RegexOptions.CultureInvariant, 500)]
    private static partial Regex EmptyWrapper();
    [GeneratedRegex(@"(.*?)(\$)(.*?)(\$)(.*)", RegexOptions.CultureInvariant, 500)]
    private static partial Regex DollarMath();
    [GeneratedRegex(@"(\\text\{)(.*?)(\})", RegexOptions.CultureInvariant, 500)]
    private static partial Regex Text();
    [GeneratedRegex(@"(\\textbf\{)(.*?)(\})", RegexOptions.CultureInvariant, 500)]
    private static partial Regex TextBf();
    [GeneratedRegex(@"(\\overline\{)(.*?)(\})", RegexOptions.CultureInvariant, 500)]
    private static partial Regex Overline();
    [GeneratedRegex(@"(\\boxed\{)(.*)(\})", RegexOptions.CultureInvariant, 500)]
    private static partial Regex Boxed();
    [GeneratedRegex(@"(frac)([^{])(.)", RegexOptions.CultureInvariant, 500)]
    private static partial Regex ShortFrac();
    [GeneratedRegex(@"(sqrt)([^{])", RegexOptions.CultureInvariant, 500)]
    private static partial Regex ShortSqrt();

    /// <summary>Normalises <paramref name="answer"/> (Minerva <c>normalize_final_answer</c>, words removed as whole words).</summary>
    /// <exception cref="RegexMatchTimeoutException">Only for pathological inputs (each regex has a match timeout).</exception>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = RemoveWords(answer);
        s = ApplySubstitutions(s);
        s = RemoveExpressions(s);
        s = UnwrapMarkup(s);
        s = ExpandShorthand(s);
        s = s.Replace("$", "");
        s = RemoveThousandsSeparators(s);
        return s;
    }

    /// <summary>
    /// Step 1: removes the <see cref="Articles"/> (whole words followed by a space, with the space) and the
    /// <see cref="UnitWords"/> (whole words). Command names such as <c>\left</c>, <c>\square</c> or <c>\sigma</c> are
    /// never altered.
    /// </summary>
    public static string RemoveWords(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new System.Text.StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '\\')
            {
                int j = i + 1;
                while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
                if (j == i + 1 && j < s.Length) j++; // a control symbol such as \{ or \\
                sb.Append(s, i, j - i);
                i = j;
                continue;
            }
            if (!char.IsAsciiLetter(c))
            {
                sb.Append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
            var word = s[i..end];
            if (end < s.Length && s[end] == ' ' && Articles.Contains(word)) i = end + 1;
            else if (UnitWordSet.Contains(word)) i = end;
            else
            {
                sb.Append(word);
                i = end;
            }
        }
        return sb.ToString();
    }

    /// <summary>Step 2: the literal <see cref="Substitutions"/>.</summary>
    public static string ApplySubstitutions(string s)
    {
        foreach (var (before, after) in Substitutions) s = ReplaceWhole(s, before, after);
        return s;
    }

    /// <summary>Step 3: removal of every <see cref="RemovedExpressions"/> entry, then of text/roman wrappers left empty (with a unit power).</summary>
    public static string RemoveExpressions(string s)
    {
        foreach (var e in RemovedExpressions) s = ReplaceWhole(s, e, "");
        // Beyond the Python list: \mathrm{}, \textrm{}, \mathrm{~} (and a following ^2/^3) left by a removed unit word.
        return EmptyWrapper().Replace(s, "");
    }

    /// <summary>
    /// Replaces <paramref name="before"/> by <paramref name="after"/>, except where <paramref name="before"/> ends in a
    /// command name that continues in <paramref name="s"/> (so <c>\dots</c> does not match inside <c>\dotsc</c>) or
    /// starts inside a command name.
    /// </summary>
    private static string ReplaceWhole(string s, string before, string after)
    {
        int idx = s.IndexOf(before, StringComparison.Ordinal);
        if (idx < 0) return s;
        bool endsInLetter = char.IsAsciiLetter(before[^1]);
        bool startsWithLetter = char.IsAsciiLetter(before[0]);
        var sb = new System.Text.StringBuilder(s.Length);
        int from = 0;
        while (idx >= 0)
        {
            int end = idx + before.Length;
            bool ok = !(endsInLetter && end < s.Length && char.IsAsciiLetter(s[end]) && EndsInCommandName(before))
                      && !(startsWithLetter && idx > 0 && InsideCommandName(s, idx));
            if (ok)
            {
                sb.Append(s, from, idx - from).Append(after);
                from = end;
                idx = s.IndexOf(before, end, StringComparison.Ordinal);
            }
            else idx = s.IndexOf(before, idx + 1, StringComparison.Ordinal);
        }
        sb.Append(s, from, s.Length - from);
        return sb.ToString();
    }

    private static bool EndsInCommandName(string text)
    {
        int k = text.Length;
        while (k > 0 && char.IsAsciiLetter(text[k - 1])) k--;
        return k > 0 && text[k - 1] == '\\';
    }

    private static bool InsideCommandName(string s, int idx)
    {
        int k = idx;
        while (k > 0 && char.IsAsciiLetter(s[k - 1])) k--;
        return k > 0 && s[k - 1] == '\\';
    }

    /// <summary>Step 4: keep the math of <c>$…$</c>, unwrap <c>\text{}</c>, <c>\textbf{}</c>, <c>\overline{}</c> (non-greedy) and <c>\boxed{}</c> (greedy).</summary>
    public static string UnwrapMarkup(string s)
    {
        s = DollarMath().Replace(s, "$$${3}$$");
        s = Text().Replace(s, "${2}");
        s = TextBf().Replace(s, "${2}");
        s = Overline().Replace(s, "${2}");
        s = Boxed().Replace(s, "${2}");
        return s;
    }

    /// <summary>Step 5: <c>\fracab</c> → <c>\frac{a}{b}</c>, <c>\sqrta</c> → <c>\sqrt{a}</c>.</summary>
    public static string ExpandShorthand(string s)
    {
        s = ShortFrac().Replace(s, "frac{${2}}{${3}}");
        s = ShortSqrt().Replace(s, "sqrt{${2}}");
        return s;
    }

    /// <summary>Step 6: "100,000" → "100000" when the string is only digits and commas.</summary>
    public static string RemoveThousandsSeparators(string s)
    {
        var noCommas = s.Replace(",", "");
        return noCommas.Length > 0 && noCommas.All(char.IsDigit) ? noCommas : s;
    }
}
