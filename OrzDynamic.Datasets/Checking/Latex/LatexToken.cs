namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>Kinds of <see cref="LatexToken"/>.</summary>
internal enum LatexTokenKind
{
    /// <summary>A decimal number such as <c>12</c> or <c>3.25</c>.</summary>
    Number,
    /// <summary>A single Latin letter.</summary>
    Letter,
    /// <summary>A control word such as <c>\frac</c> (text holds the name without backslash).</summary>
    Command,
    /// <summary>A single punctuation/operator character such as <c>+</c>, <c>(</c>, <c>^</c>.</summary>
    Symbol,
    /// <summary>End of input.</summary>
    End,
}

/// <summary>One lexical token of a LaTeX math string.</summary>
/// <param name="Kind">The token kind.</param>
/// <param name="Text">Digits, the letter, the command name (no backslash) or the symbol character.</param>
/// <param name="Position">Offset of the token in the source string.</param>
internal readonly record struct LatexToken(LatexTokenKind Kind, string Text, int Position)
{
    /// <summary>True for a <see cref="LatexTokenKind.Symbol"/> token with text <paramref name="c"/>.</summary>
    public bool IsSymbol(char c) => Kind == LatexTokenKind.Symbol && Text.Length == 1 && Text[0] == c;

    /// <summary>True for a <see cref="LatexTokenKind.Symbol"/> token with text <paramref name="text"/> (e.g. <c>\{</c>).</summary>
    public bool IsSymbolText(string text) => Kind == LatexTokenKind.Symbol && Text == text;

    /// <summary>True for a <see cref="LatexTokenKind.Command"/> token named <paramref name="name"/>.</summary>
    public bool IsCommand(string name) => Kind == LatexTokenKind.Command && Text == name;
}
