namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// JavaScript's <c>toUpperCase</c>/<c>toLowerCase</c>: the simple case mappings plus the unconditional multi-character
/// mappings of Unicode's SpecialCasing (ß → SS, ﬁ → FI, İ → i̇, Greek iota subscripts) and the final-sigma rule.
/// </summary>
internal static class JsCase
{
    // Code point : upper-case code points (hex), from Unicode SpecialCasing.txt (unconditional mappings).
    private const string MultiUpper =
        "df:53 53,149:2bc 4e,1f0:4a 30c,390:399 308 301,3b0:3a5 308 301,587:535 552,1e96:48 331,1e97:54 308," +
        "1e98:57 30a,1e99:59 30a,1e9a:41 2be,1f50:3a5 313,1f52:3a5 313 300,1f54:3a5 313 301,1f56:3a5 313 342," +
        "1f80:1f08 399,1f81:1f09 399,1f82:1f0a 399,1f83:1f0b 399,1f84:1f0c 399,1f85:1f0d 399,1f86:1f0e 399," +
        "1f87:1f0f 399,1f88:1f08 399,1f89:1f09 399,1f8a:1f0a 399,1f8b:1f0b 399,1f8c:1f0c 399,1f8d:1f0d 399," +
        "1f8e:1f0e 399,1f8f:1f0f 399,1f90:1f28 399,1f91:1f29 399,1f92:1f2a 399,1f93:1f2b 399,1f94:1f2c 399," +
        "1f95:1f2d 399,1f96:1f2e 399,1f97:1f2f 399,1f98:1f28 399,1f99:1f29 399,1f9a:1f2a 399,1f9b:1f2b 399," +
        "1f9c:1f2c 399,1f9d:1f2d 399,1f9e:1f2e 399,1f9f:1f2f 399,1fa0:1f68 399,1fa1:1f69 399,1fa2:1f6a 399," +
        "1fa3:1f6b 399,1fa4:1f6c 399,1fa5:1f6d 399,1fa6:1f6e 399,1fa7:1f6f 399,1fa8:1f68 399,1fa9:1f69 399," +
        "1faa:1f6a 399,1fab:1f6b 399,1fac:1f6c 399,1fad:1f6d 399,1fae:1f6e 399,1faf:1f6f 399,1fb2:1fba 399," +
        "1fb3:391 399,1fb4:386 399,1fb6:391 342,1fb7:391 342 399,1fbc:391 399,1fc2:1fca 399,1fc3:397 399," +
        "1fc4:389 399,1fc6:397 342,1fc7:397 342 399,1fcc:397 399,1fd2:399 308 300,1fd3:399 308 301," +
        "1fd6:399 342,1fd7:399 308 342,1fe2:3a5 308 300,1fe3:3a5 308 301,1fe4:3a1 313,1fe6:3a5 342," +
        "1fe7:3a5 308 342,1ff2:1ffa 399,1ff3:3a9 399,1ff4:38f 399,1ff6:3a9 342,1ff7:3a9 342 399,1ffc:3a9 399," +
        "fb00:46 46,fb01:46 49,fb02:46 4c,fb03:46 46 49,fb04:46 46 4c,fb05:53 54,fb06:53 54,fb13:544 546," +
        "fb14:544 535,fb15:544 53b,fb16:54e 546,fb17:544 53d,";

    private static readonly Dictionary<int, string> Upper = ParseTable(MultiUpper);

    private static Dictionary<int, string> ParseTable(string table)
    {
        var result = new Dictionary<int, string>();
        foreach (var entry in table.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':');
            var target = new StringBuilder();
            foreach (var hex in parts[1].Split(' ')) target.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            result[int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = target.ToString();
        }
        return result;
    }

    public static string ToUpper(string s)
    {
        var simple = s.ToUpperInvariant();
        if (!HasSpecialUpper(s)) return simple;
        var sb = new StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            var pair = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
            var cp = pair ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
            if (Upper.TryGetValue(cp, out var mapped)) sb.Append(mapped);
            else sb.Append(pair ? s.Substring(i, 2).ToUpperInvariant() : char.ToUpperInvariant(s[i]).ToString());
            if (pair) i++;
        }
        return sb.ToString();
    }

    private static bool HasSpecialUpper(string s)
    {
        foreach (var c in s)
            if (c >= '\u00df' && Upper.ContainsKey(c)) return true;
        return false;
    }

    public static string ToLower(string s)
    {
        var simple = s.ToLowerInvariant();
        if (s.IndexOf('\u0130') < 0 && s.IndexOf('\u03a3') < 0) return simple;
        var sb = new StringBuilder(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\u0130') sb.Append("i\u0307");
            else if (c == '\u03a3') sb.Append(IsFinalSigma(s, i) ? '\u03c2' : '\u03c3');
            else sb.Append(simple[i]);
        }
        return sb.ToString();
    }

    /// <summary>Unicode's Final_Sigma: a cased letter before (skipping case-ignorables) and none after.</summary>
    private static bool IsFinalSigma(string s, int at)
    {
        var before = false;
        for (var j = at - 1; j >= 0; j--)
        {
            if (IsCaseIgnorable(s[j])) continue;
            before = IsCased(s[j]);
            break;
        }
        if (!before) return false;
        for (var j = at + 1; j < s.Length; j++)
        {
            if (IsCaseIgnorable(s[j])) continue;
            return !IsCased(s[j]);
        }
        return true;
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '^' or '`' or '\u00b7' or '\u2019' or '\u2018' or '\u2024' or '\u2027'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
