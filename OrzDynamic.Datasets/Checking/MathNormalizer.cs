using System.Numerics;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// The Hendrycks MATH answer normalisation (<c>strip_string</c>) and string equivalence (<c>is_equiv</c>),
/// step 1 of the ORZ equality. Each rule is exposed separately so it can be tested on its own.
/// </summary>
internal static class MathNormalizer
{
    /// <summary>Thrown internally where the Python code raises (assertion/index errors); <see cref="IsEquivalent"/> then compares raw strings.</summary>
    private sealed class NormalizationFailedException(string message) : Exception(message);

    /// <summary>
    /// Normalises an answer string; returns null where the Python <c>strip_string</c> would raise (e.g. two
    /// <c>\text{ </c> unit suffixes, a dangling <c>\sqrt</c> or <c>\frac</c> at the end).
    /// </summary>
    public static string? TryStrip(string text)
    {
        try { return Strip(text); }
        catch (NormalizationFailedException) { return null; }
    }

    private static string Strip(string s)
    {
        s = s.Replace("\n", "");                       // line breaks
        s = s.Replace("\\!", "");                      // negative thin spaces
        s = s.Replace("\\\\", "\\");                   // \\ -> \
        s = s.Replace("tfrac", "frac").Replace("dfrac", "frac");
        s = s.Replace("\\left", "").Replace("\\right", "");
        s = RemoveDegrees(s);
        s = s.Replace("\\$", "").Replace("$", "");     // dollars
        s = s.Replace(",", "");                        // commas (thousands separators)
        s = RemoveRightUnits(s);
        s = s.Replace("\\%", "");                      // percent
        s = FixLeadingZeroDecimals(s);
        if (s.Length == 0) return s;
        if (s[0] == '.') s = "0" + s;
        s = RemoveShortEquationPrefix(s);
        s = FixSqrt(s);
        s = s.Replace(" ", "");
        s = FixFracs(s);
        if (s == "0.5") s = "\\frac{1}{2}";
        s = FixSlash(s);
        return s;
    }

    /// <summary>Removes <c>^{\circ}</c> and <c>^\circ</c>.</summary>
    public static string RemoveDegrees(string s) => s.Replace("^{\\circ}", "").Replace("^\\circ", "");

    /// <summary><c>" ."</c> → <c>" 0."</c> and <c>"{."</c> → <c>"{0."</c>.</summary>
    public static string FixLeadingZeroDecimals(string s) => s.Replace(" .", " 0.").Replace("{.", "{0.");

    /// <summary>Drops a trailing unit introduced by <c>\text{ </c> (text with a leading space); two of them is an error.</summary>
    public static string RemoveRightUnits(string s)
    {
        const string marker = "\\text{ ";
        int first = s.IndexOf(marker, StringComparison.Ordinal);
        if (first < 0) return s;
        if (s.IndexOf(marker, first + 1, StringComparison.Ordinal) >= 0)
            throw new NormalizationFailedException("more than one \\text{ unit");
        return s.Substring(0, first);
    }

    /// <summary>Removes a "k = " prefix when the string has exactly one '=' and the left side has at most 2 characters.</summary>
    public static string RemoveShortEquationPrefix(string s)
    {
        var parts = s.Split('=');
        if (parts.Length == 2 && parts[0].Length <= 2) return parts[1];
        return s;
    }

    /// <summary><c>\sqrt3</c> → <c>\sqrt{3}</c> (only the single following character is wrapped).</summary>
    public static string FixSqrt(string s)
    {
        if (!s.Contains("\\sqrt", StringComparison.Ordinal)) return s;
        var splits = s.Split("\\sqrt");
        var sb = new System.Text.StringBuilder(splits[0]);
        for (int i = 1; i < splits.Length; i++)
        {
            var part = splits[i];
            if (part.Length == 0) throw new NormalizationFailedException("\\sqrt at end of string");
            if (part[0] != '{') sb.Append("\\sqrt{").Append(part[0]).Append('}').Append(part, 1, part.Length - 1);
            else sb.Append("\\sqrt").Append(part);
        }
        return sb.ToString();
    }

    /// <summary><c>\frac12</c> → <c>\frac{1}{2}</c>, <c>\frac1{72}</c> → <c>\frac{1}{72}</c>; returns the input unchanged when a <c>\frac</c> has fewer than two following characters.</summary>
    public static string FixFracs(string s)
    {
        var substrs = s.Split("\\frac");
        var sb = new System.Text.StringBuilder(substrs[0]);
        for (int i = 1; i < substrs.Length; i++)
        {
            var sub = substrs[i];
            sb.Append("\\frac");
            if (sub.Length == 0) throw new NormalizationFailedException("\\frac at end of string");
            if (sub[0] == '{') { sb.Append(sub); continue; }
            if (sub.Length < 2) return s;
            char a = sub[0], b = sub[1];
            if (b != '{') sb.Append('{').Append(a).Append("}{").Append(b).Append('}').Append(sub, 2, sub.Length - 2);
            else sb.Append('{').Append(a).Append('}').Append(b).Append(sub, 2, sub.Length - 2);
        }
        return sb.ToString();
    }

    /// <summary><c>a/b</c> with canonical integers a and b → <c>\frac{a}{b}</c>.</summary>
    public static string FixSlash(string s)
    {
        var parts = s.Split('/');
        if (parts.Length != 2) return s;
        if (!IsCanonicalInteger(parts[0]) || !IsCanonicalInteger(parts[1])) return s;
        return "\\frac{" + parts[0] + "}{" + parts[1] + "}";
    }

    private static bool IsCanonicalInteger(string t)
    {
        if (t.Length == 0 || t.Length > 300) return false;
        int start = t[0] == '-' ? 1 : 0;
        if (start == t.Length) return false;
        for (int i = start; i < t.Length; i++) if (t[i] is < '0' or > '9') return false;
        return BigInteger.Parse(t, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture) == t;
    }

    /// <summary>
    /// Hendrycks' <c>is_equiv</c>: both strings normalised; equal when both parse as the same float (Python
    /// <c>float()</c> syntax) or the normalised strings are identical. Where normalisation fails the raw strings are compared.
    /// </summary>
    public static bool IsEquivalent(string? a, string? b)
    {
        if (a is null && b is null) return true;
        if (a is null || b is null) return false;
        var sa = TryStrip(a);
        var sb = TryStrip(b);
        if (sa is null || sb is null) return a == b;
        if (PythonFloat.TryParse(sa, out var fa) && PythonFloat.TryParse(sb, out var fb)) return fa == fb;
        return sa == sb;
    }
}
