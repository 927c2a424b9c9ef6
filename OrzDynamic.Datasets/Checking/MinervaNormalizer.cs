using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// The final-answer normalisation of the Minerva paper (Lewkowycz et al. 2022, appendix; <c>normalize_final_answer</c>)
/// as used by the ORZ checker: textual substitutions, removal of unit words and decorations, unwrapping of
/// <c>$…$</c>, <c>\text{}</c>, <c>\textbf{}</c>, <c>\overline{}</c>, <c>\boxed{}</c>, shorthand <c>\fracab</c>/<c>\sqrta</c>,
/// and thousands separators. Substring rules are applied literally (e.g. removing "ft" also affects <c>\left</c>),
/// because the reference checker's verdicts depend on exactly that behaviour.
/// </summary>
public static partial class MinervaNormalizer
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Literal substitutions applied first, in order.</summary>
    public static IReadOnlyList<(string Before, string After)> Substitutions { get; } =
    [
        ("an ", ""), ("a ", ""), (".$", "$"), ("\\$", ""), ("\\ ", ""), (" ", ""), ("mbox", "text"),
        (",\\text{and}", ","), ("\\text{and}", ","), ("\\text{m}", "\\text{}"),
    ];

    /// <summary>Expressions (unit words, decorations) removed next, in order.</summary>
    public static IReadOnlyList<string> RemovedExpressions { get; } =
    [
        "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units", "\\ldots", "sue",
        "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm", "pounds", "meters", "meals", "edges",
        "students", "childrentickets", "multiples", "\\text{s}", "\\text{.}", "\\text{\ns}", "\\text{}^2", "\\text{}^3",
        "\\text{\n}", "\\text{}", "\\mathrm{th}", "^\\circ", "^{\\circ}", "\\;", ",\\!", "{,}", "\"", "\\dots",
    ];

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

    /// <summary>Normalises <paramref name="answer"/> (Minerva <c>normalize_final_answer</c>).</summary>
    /// <exception cref="RegexMatchTimeoutException">Only for pathological inputs (each regex has a match timeout).</exception>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = ApplySubstitutions(answer);
        s = RemoveExpressions(s);
        s = UnwrapMarkup(s);
        s = ExpandShorthand(s);
        s = s.Replace("$", "");
        s = RemoveThousandsSeparators(s);
        return s;
    }

    /// <summary>Step 1: the literal <see cref="Substitutions"/>.</summary>
    public static string ApplySubstitutions(string s)
    {
        foreach (var (before, after) in Substitutions) s = s.Replace(before, after);
        return s;
    }

    /// <summary>Step 2: removal of every <see cref="RemovedExpressions"/> entry.</summary>
    public static string RemoveExpressions(string s)
    {
        foreach (var e in RemovedExpressions) s = s.Replace(e, "");
        return s;
    }

    /// <summary>Step 3: keep the math of <c>$…$</c>, unwrap <c>\text{}</c>, <c>\textbf{}</c>, <c>\overline{}</c> (non-greedy) and <c>\boxed{}</c> (greedy).</summary>
    public static string UnwrapMarkup(string s)
    {
        s = DollarMath().Replace(s, "$$${3}$$");
        s = Text().Replace(s, "${2}");
        s = TextBf().Replace(s, "${2}");
        s = Overline().Replace(s, "${2}");
        s = Boxed().Replace(s, "${2}");
        return s;
    }

    /// <summary>Step 4: <c>\fracab</c> → <c>\frac{a}{b}</c>, <c>\sqrta</c> → <c>\sqrt{a}</c>.</summary>
    public static string ExpandShorthand(string s)
    {
        s = ShortFrac().Replace(s, "frac{${2}}{${3}}");
        s = ShortSqrt().Replace(s, "sqrt{${2}}");
        return s;
    }

    /// <summary>Step 5: "100,000" → "100000" when the string is only digits and commas.</summary>
    public static string RemoveThousandsSeparators(string s)
    {
        var noCommas = s.Replace(",", "");
        return noCommas.Length > 0 && noCommas.All(char.IsDigit) ? noCommas : s;
    }
}
