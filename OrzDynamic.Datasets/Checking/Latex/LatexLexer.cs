namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>
/// Splits LaTeX math into <see cref="LatexToken"/>s. Spacing commands (<c>\,</c>, <c>\;</c>, <c>\!</c>, <c>\quad</c>…) and
/// sizing commands (<c>\left</c>, <c>\right</c>, <c>\big</c>…) are dropped; other non-letter escapes
/// (<c>\%</c>, <c>\$</c>, <c>\\</c>) are not math and make lexing fail, except that the
/// <see cref="LatexDialect.FreeForm"/> dialect reads <c>\{</c>, <c>\}</c>, <c>\\</c> and <c>&amp;</c> as symbols (sets, matrix rows and cells).
/// </summary>
internal static class LatexLexer
{
    private static readonly HashSet<string> SkippedWords = new(StringComparer.Ordinal)
    {
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
        "quad", "qquad", "displaystyle", "textstyle", "limits",
    };

    /// <summary>Tokenises <paramref name="source"/>; the list always ends with an <see cref="LatexTokenKind.End"/> token.</summary>
    /// <exception cref="LatexParseException">On characters or escapes that are not math.</exception>
    public static List<LatexToken> Tokenize(string source, LatexDialect dialect = LatexDialect.Orz)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokens = new List<LatexToken>();
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (char.IsWhiteSpace(c) || c == '~') { i++; continue; }
            if (c is >= '0' and <= '9' || (c == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1])))
            {
                int start = i;
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                if (i < source.Length && source[i] == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1]))
                {
                    i++;
                    while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                }
                tokens.Add(new LatexToken(LatexTokenKind.Number, source[start..i], start));
                continue;
            }
            if (char.IsAsciiLetter(c)) { tokens.Add(new LatexToken(LatexTokenKind.Letter, c.ToString(), i)); i++; continue; }
            if (c == '\\')
            {
                int start = i;
                i++;
                if (i >= source.Length) throw new LatexParseException("dangling backslash", source, start);
                if (char.IsAsciiLetter(source[i]))
                {
                    while (i < source.Length && char.IsAsciiLetter(source[i])) i++;
                    var name = source[(start + 1)..i];
                    if (!SkippedWords.Contains(name)) tokens.Add(new LatexToken(LatexTokenKind.Command, name, start));
                    continue;
                }
                char e = source[i];
                i++;
                if (e is ',' or ';' or ':' or '!' or ' ' or '>') continue; // spacing
                if (dialect == LatexDialect.FreeForm && e is '{' or '}' or '\\')
                {
                    tokens.Add(new LatexToken(LatexTokenKind.Symbol, "\\" + e, start));
                    continue;
                }
                throw new LatexParseException($"escape \\{e} is not math", source, start);
            }
            if ("+-*/^_()[]{},=<>|!'".Contains(c) || (dialect == LatexDialect.FreeForm && c == '&')) { tokens.Add(new LatexToken(LatexTokenKind.Symbol, c.ToString(), i)); i++; continue; }
            throw new LatexParseException($"unexpected character '{c}'", source, i);
        }
        tokens.Add(new LatexToken(LatexTokenKind.End, string.Empty, source.Length));
        return tokens;
    }
}
