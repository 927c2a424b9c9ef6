namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>String operations with the semantics of JavaScript's, which the reference implementation inherits:
/// JavaScript's whitespace set (<c>\s</c>, <c>trim</c>), UTF-16 code-unit indexing and code-point iteration.</summary>
internal static class JsText
{
    /// <summary>JavaScript's <c>\s</c>: ASCII whitespace, NBSP, the Unicode space separators, LS, PS and BOM.</summary>
    public static bool IsWhitespace(char c) =>
        c <= ' '
            ? c == ' ' || (c >= '\t' && c <= '\r')
            : c > '\u007f' && (c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028'
                || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff');

    /// <summary>JavaScript's <c>\w</c>: <c>[A-Za-z0-9_]</c>.</summary>
    public static bool IsWord(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';

    public static bool IsDigit(char c) => c >= '0' && c <= '9';

    public static bool IsLineTerminator(char c) => c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';

    public static string Trim(string s) => TrimEnd(TrimStart(s));

    public static string TrimStart(string s)
    {
        var i = 0;
        while (i < s.Length && IsWhitespace(s[i])) i++;
        return i == 0 ? s : s[i..];
    }

    public static string TrimEnd(string s)
    {
        var end = s.Length;
        while (end > 0 && IsWhitespace(s[end - 1])) end--;
        return end == s.Length ? s : s[..end];
    }

    /// <summary>The string's code points as strings (a surrogate pair stays together; a lone surrogate is its own item).</summary>
    public static List<string> CodePoints(string s)
    {
        var result = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(s.Substring(i, 2));
                i++;
            }
            else result.Add(s[i].ToString());
        }
        return result;
    }

    /// <summary>JavaScript's <c>toUpperCase</c> (with Unicode's multi-character mappings, e.g. ß → SS).</summary>
    public static string Upper(string s) => JsCase.ToUpper(s);

    /// <summary>JavaScript's <c>toLowerCase</c> (with İ → i̇ and the final-sigma rule).</summary>
    public static string Lower(string s) => JsCase.ToLower(s);

    /// <summary>Upper-cases the first word character of each run of word characters (<c>/\b\w/g</c>); the rest is kept.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s);
        for (var i = 0; i < sb.Length; i++)
            if (IsWord(sb[i]) && (i == 0 || !IsWord(sb[i - 1]))) sb[i] = char.ToUpperInvariant(sb[i]);
        return sb.ToString();
    }
}
