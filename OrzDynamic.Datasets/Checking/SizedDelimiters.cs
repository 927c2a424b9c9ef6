using System.Text;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Removes delimiter sizing before answers are compared: <c>\left</c>, <c>\right</c>, <c>\middle</c> and the
/// <c>\big</c>…<c>\Biggr</c> family are dropped (with a following null delimiter <c>.</c>), and a sized pair of
/// parentheses around the whole answer, e.g. <c>\left( … \right)</c> or <c>\bigl( … \bigr)</c>, is unwrapped when it only
/// groups one value (no top-level comma, so <c>\left(1, 2\right)</c> stays the tuple <c>(1, 2)</c>). Only command names
/// that are exactly a sizing command are touched: <c>\leftarrow</c>, <c>\Rightarrow</c> and <c>\bigcup</c> stay.
/// </summary>
internal static class SizedDelimiters
{
    private static readonly HashSet<string> SizingCommands = new(StringComparer.Ordinal)
    {
        "left", "right", "middle",
        "big", "Big", "bigg", "Bigg",
        "bigl", "Bigl", "biggl", "Biggl",
        "bigr", "Bigr", "biggr", "Biggr",
        "bigm", "Bigm", "biggm", "Biggm",
    };

    private static readonly HashSet<string> OpeningSizes = new(StringComparer.Ordinal)
    {
        "left", "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl",
    };

    private static readonly HashSet<string> ClosingSizes = new(StringComparer.Ordinal)
    {
        "right", "big", "Big", "bigg", "Bigg", "bigr", "Bigr", "biggr", "Biggr",
    };

    /// <summary>The answer without delimiter sizing and without sized grouping parentheses around the whole of it.</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var s = answer.Trim();
        // Bounded: each round removes at least the two sizing commands of the wrapper.
        while (TryUnwrapWholeGroup(s, out var inner)) s = inner.Trim();
        return DropSizing(s);
    }

    /// <summary>Whether <paramref name="answer"/> contains a sizing command (a cheap test before <see cref="Normalize"/>).</summary>
    public static bool ContainsSizing(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        for (int i = answer.IndexOf('\\'); i >= 0; i = answer.IndexOf('\\', i + 1))
            if (SizingCommands.Contains(CommandNameAt(answer, i))) return true;
        return false;
    }

    /// <summary>Removes every sizing command (and the null delimiter <c>.</c> after one), keeping the delimiters themselves.</summary>
    public static string DropSizing(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.IndexOf('\\') < 0) return s;
        var sb = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] == '\\')
            {
                var name = CommandNameAt(s, i);
                if (name.Length == 0)
                {
                    // A control symbol such as \{ or \, is copied whole so its second character is not re-read.
                    sb.Append(s, i, Math.Min(2, s.Length - i));
                    i += 2;
                    continue;
                }
                if (SizingCommands.Contains(name))
                {
                    int j = SkipSpaces(s, i + 1 + name.Length);
                    i = j < s.Length && s[j] == '.' ? j + 1 : j;
                    continue;
                }
                sb.Append(s, i, 1 + name.Length);
                i += 1 + name.Length;
                continue;
            }
            sb.Append(s[i]);
            i++;
        }
        return sb.ToString();
    }

    /// <summary>
    /// True when <paramref name="s"/> is <c>\size( X \size)</c> as a whole, the two parentheses pair with each other, and
    /// X is one value (no comma outside brackets); <paramref name="inner"/> is then X.
    /// </summary>
    private static bool TryUnwrapWholeGroup(string s, out string inner)
    {
        inner = s;
        if (s.Length < 2 || s[0] != '\\') return false;
        var openName = CommandNameAt(s, 0);
        if (!OpeningSizes.Contains(openName)) return false;
        int open = SkipSpaces(s, 1 + openName.Length);
        if (open >= s.Length || s[open] != '(') return false;
        if (s[^1] != ')') return false;
        int close = s.Length - 1;
        int sizeEnd = close;
        while (sizeEnd > 0 && char.IsWhiteSpace(s[sizeEnd - 1])) sizeEnd--;
        int nameStart = sizeEnd;
        while (nameStart > 0 && char.IsAsciiLetter(s[nameStart - 1])) nameStart--;
        if (nameStart == 0 || s[nameStart - 1] != '\\' || nameStart - 1 <= open) return false;
        if (IsEscaped(s, nameStart - 1)) return false;
        if (!ClosingSizes.Contains(s[nameStart..sizeEnd])) return false;
        var candidate = s[(open + 1)..(nameStart - 1)];
        if (!IsSingleBalancedValue(DropSizing(candidate))) return false;
        inner = candidate;
        return true;
    }

    /// <summary>Brackets of every kind balance (never closing more than opened) and no comma lies outside them.</summary>
    private static bool IsSingleBalancedValue(string s)
    {
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\')
            {
                // \{ and \} count as brackets; \, (a thin space) is not a comma; other escapes are skipped.
                if (i + 1 < s.Length && s[i + 1] is '{' or '}') c = s[i + 1];
                else { i++; continue; }
                i++;
            }
            switch (c)
            {
                case '(' or '[' or '{': depth++; break;
                case ')' or ']' or '}':
                    if (--depth < 0) return false;
                    break;
                case ',' when depth == 0:
                    return false;
            }
        }
        return depth == 0;
    }

    /// <summary>The control word starting at the backslash at <paramref name="i"/> (letters only; empty for a control symbol).</summary>
    private static string CommandNameAt(string s, int i)
    {
        int j = i + 1;
        while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
        return s[(i + 1)..j];
    }

    private static bool IsEscaped(string s, int backslash)
    {
        int n = 0;
        for (int k = backslash - 1; k >= 0 && s[k] == '\\'; k--) n++;
        return n % 2 == 1;
    }

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i;
    }
}
