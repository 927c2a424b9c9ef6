using System.Text;
using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Cleans an extracted answer before it is parsed: boxes, dollar signs and delimiter sizing removed; text wrappers
/// (<c>\text</c>, <c>\textnormal</c>, <c>\mathrm</c>, <c>\mbox</c>…) unwrapped; unit words, degree marks and currency
/// removed; percent marks and words removed and remembered; "and", "or" and ";" between items turned into commas;
/// thousands separators joined when the whole answer is one grouped number. Idempotent on its own output
/// (<see cref="NormalizedAnswer.ToString"/>).
/// </summary>
internal static partial class AnswerTextNormalizer
{
    private static readonly string[] TextWrappers =
    [
        "text", "textnormal", "textrm", "textbf", "textit", "textsf", "texttt", "textup", "mathrm", "mathbf", "mathit", "mathsf",
        "mathtt", "mbox", "hbox", "emph", "operatorname", "boldsymbol", "mathnormal", "displaystyle",
    ];

    private static readonly (string From, string To)[] Symbols =
    [
        ("−", "-"), ("–", "-"), ("×", "\\times "), ("÷", "\\div "), ("≤", "\\le "), ("≥", "\\ge "), ("≠", "\\ne "), ("π", "\\pi "),
        ("∞", "\\infty "), ("√", "\\sqrt"), ("·", "\\cdot "), ("∪", "\\cup "), ("∈", "\\in "), ("°", "^\\circ"), ("\\not=", "\\ne "),
        ("\\neq", "\\ne "), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\cfrac", "\\frac"), ("{,}", ","), ("\\!", ""),
        ("\\lbrace", "\\{"), ("\\rbrace", "\\}"), ("\\lvert", "|"), ("\\rvert", "|"), ("\\vert", "|"), ("\\mid", "|"),
        ("\\leqslant", "\\le "), ("\\geqslant", "\\ge "), ("\\dots", ""), ("\\ldots", ""), ("\\cdots", ""),
        ("\\euro", ""), ("€", ""), ("£", ""), ("¥", ""), ("₹", ""), ("\\$", ""), ("$", ""), ("\\degree", ""), ("\\measuredangle", " "), ("\\angle", " "),
    ];

    // A degree sign: ^\circ, ^{\circ} or a bare \circ.
    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?|\\circ\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Degrees();

    // A percent sign or word.
    [GeneratedRegex(@"\\%|%|\b(?:percent|percentage|pct)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Percent();

    // Unit words (optionally "square"/"cubic" before and a power after), removed as whole words not preceded by '\'.
    [GeneratedRegex(@"(?<![\\\w])(?:(?:square|sq\.?|cubic|cu\.?)\s+)?(?:(?:km|m|mi|ft|cm|miles?|meters?|feet|kilometers?)\s*/\s*(?:h|hr|hour|s|sec|second|min|minute)s?|units?|degrees?|radians?|dollars?|cents?|euros?|usd|" +
        @"cm|mm|km|kg|mg|ml|ft|yd|mph|kph|hrs?|mins?|secs?|lbs?|oz|inch(?:es)?|in\.|feet|foot|yards?|miles?|" +
        @"(?:centi|milli|kilo)?met(?:er|re)s?|(?:kilo|milli)?grams?|(?:milli)?lit(?:er|re)s?|gallons?|pounds?|ounces?|tons?|" +
        @"seconds?|minutes?|hours?|days?|weeks?|months?|years?|meters\s+per\s+second|miles\s+per\s+hour|" +
        @"people|students|apples|cookies|marbles|coins|cards|pages|books|balls|cars|boxes|times|ways|points|persons|" +
        @"sq\.?\s*units?|square\s+units?|cubic\s+units?)(?:\s*\^\s*\{?\s*[23]\s*\}?)?(?![\w])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UnitWords();

    // Single-letter or ambiguous units, removed only right after a number ("5 m", "3 in", "12 g").
    [GeneratedRegex(@"(?<=\d)\s*(?:m|s|g|l|h|in|mi|L)(?:\s*\^\s*\{?\s*[23]\s*\}?)?(?=\s*$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ShortUnitAfterNumber();

    // "and", "or" or a semicolon between the parts of a list answer.
    [GeneratedRegex(@"\s*(?:\band\b|\bor\b|;)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ListWords();

    // A LaTeX thin space used as a thousands separator ("12\,345").
    [GeneratedRegex(@"(\d)\\[,;: ](?=\d{3}(?!\d))", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ThinSpaceThousands();

    // LaTeX spacing commands and ties.
    [GeneratedRegex(@"(?<!\\)\\(?:,|;|:|quad|qquad| )|~", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Spacing();

    // Any run of white space.
    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Whitespace();

    // 1.5e3, 2E-4: scientific notation written with a letter e between digits.
    [GeneratedRegex(@"(?<![\w.\\])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ScientificE();

    // 1\frac{1}{2}: a whole number directly followed by a proper fraction of whole numbers is a mixed number.
    [GeneratedRegex(@"(?<![\d.^_{}\\])(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MixedNumber();

    // A trailing word in a text wrapper after a value ("5 \text{ bananas}", "12\mathrm{ sq ft}^2") is a unit.
    [GeneratedRegex(@"(?<=[\d}).])\s*\\(?:text|textnormal|textrm|mbox|mathrm)\s*\{\s*[A-Za-z][A-Za-z.\s]*\}(?:\s*\^\s*\{?\s*[23]\s*\}?)?\s*$",
        RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TrailingTextUnit();

    // \mathbb{R}, the whole real line.
    [GeneratedRegex(@"\\mathbb\s*\{?\s*R\s*\}?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex RealLine();

    // A decimal comma: "0,5" or "1234,5" (a thousands comma follows one to three digits).
    [GeneratedRegex(@"^-?(?:0|\d{4,}),\d+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DecimalComma();

    // Two or more commas in a row (left where a removed part stood).
    [GeneratedRegex(@"\s*,\s*(?:,\s*)+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex RepeatedCommas();

    /// <summary>Normalises <paramref name="answer"/> (see the class summary).</summary>
    public static NormalizedAnswer Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = answer.Trim();
        s = UnwrapCommands(s, ["boxed", "fbox"]);
        s = StripOuterDelimiters(s);
        s = SizedDelimiters.Normalize(s);
        foreach (var (from, to) in Symbols) s = s.Replace(from, to, StringComparison.Ordinal);
        s = RealLine().Replace(s, "(-\\infty, \\infty)");
        s = TrailingTextUnit().Replace(s, "");
        s = UnwrapCommands(s, TextWrappers);
        s = ScientificE().Replace(s, "$1\\times 10^{$2}");
        s = MixedNumber().Replace(s, m => ProperFraction(m.Groups[2].Value, m.Groups[3].Value)
            ? $"({m.Groups[1].Value}+\\frac{{{m.Groups[2].Value}}}{{{m.Groups[3].Value}}})" : m.Value);
        s = Degrees().Replace(s, "");
        bool percent = false;
        s = Percent().Replace(s, _ => { percent = true; return " "; });
        s = ThinSpaceThousands().Replace(s, "$1");
        s = Spacing().Replace(s, " ");
        s = RemoveUnits(s);
        s = ListWords().Replace(s, ", ");
        s = RepeatedCommas().Replace(s, ", ");
        s = Whitespace().Replace(s, " ").Trim();
        s = s.Trim(',', ' ').TrimEnd('.', ' ');
        if (s.StartsWith('=') && !s.StartsWith("==", StringComparison.Ordinal)) s = s[1..].Trim();
        if (ThousandsGrouping.IsGrouped(s)) s = s.Replace(",", "");
        else if (DecimalComma().IsMatch(s)) s = s.Replace(',', '.');
        return new NormalizedAnswer(s, percent);
    }

    private static bool ProperFraction(string numerator, string denominator)
        => numerator.Length <= 9 && denominator.Length <= 9
           && long.Parse(numerator, System.Globalization.CultureInfo.InvariantCulture) < long.Parse(denominator, System.Globalization.CultureInfo.InvariantCulture);

    private static string RemoveUnits(string s)
    {
        var without = UnitWords().Replace(s, " ");
        without = ShortUnitAfterNumber().Replace(without.TrimEnd(), "");
        // A unit alone (gold "\text{cm}", "square units") leaves nothing: such a text holds no answer.
        return without;
    }

    /// <summary>Drops <c>$…$</c>, <c>\[…\]</c>, <c>\(…\)</c> around the whole answer.</summary>
    private static string StripOuterDelimiters(string s)
    {
        for (int round = 0; round < 4; round++)
        {
            var t = s.Trim();
            if (t.StartsWith("\\[", StringComparison.Ordinal) && t.EndsWith("\\]", StringComparison.Ordinal) && t.Length >= 4) s = t[2..^2];
            else if (t.StartsWith("\\(", StringComparison.Ordinal) && t.EndsWith("\\)", StringComparison.Ordinal) && t.Length >= 4) s = t[2..^2];
            else return t;
        }
        return s.Trim();
    }

    /// <summary>
    /// Removes every <c>\name{</c> of the listed commands together with its closing brace, keeping the content
    /// (<c>\text{5 cm}</c> → <c> 5 cm </c>). Two linear passes (braces are paired with a stack first), so nesting costs
    /// nothing. A <c>\name{</c> whose brace is never closed is kept: a malformed answer stays malformed.
    /// </summary>
    private static string UnwrapCommands(string s, string[] names)
    {
        if (s.IndexOf('\\') < 0) return s;
        var closing = PairBraces(s);
        var removedClose = new HashSet<int>();
        var sb = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char ch = s[i];
            if (ch == '\\')
            {
                int j = i + 1;
                while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
                var name = s[(i + 1)..j];
                if (j > i + 1 && names.Contains(name))
                {
                    int k = j;
                    while (k < s.Length && s[k] == ' ') k++;
                    if (k < s.Length && s[k] == '{' && closing[k] >= 0)
                    {
                        removedClose.Add(closing[k]);
                        sb.Append(' ');
                        i = k + 1;
                        continue;
                    }
                    if (name == "displaystyle") { i = j; continue; }
                }
                if (j == i + 1 && j < s.Length) j++;
                sb.Append(s, i, j - i);
                i = j;
                continue;
            }
            sb.Append(removedClose.Contains(i) ? ' ' : ch);
            i++;
        }
        return sb.ToString();
    }

    /// <summary>For every '{' the index of its '}' (−1 when unclosed); escaped braces (<c>\{</c>) are not paired.</summary>
    private static int[] PairBraces(string s)
    {
        var closing = new int[s.Length];
        Array.Fill(closing, -1);
        var open = new Stack<int>();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '{') open.Push(i);
            else if (s[i] == '}' && open.Count > 0) closing[open.Pop()] = i;
        }
        return closing;
    }
}
