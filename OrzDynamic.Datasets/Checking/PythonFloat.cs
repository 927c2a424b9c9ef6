using System.Globalization;
using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>Parses numbers with the syntax of Python's <c>float(str)</c> (what the reference checker uses).</summary>
internal static partial class PythonFloat
{
    [GeneratedRegex(@"^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FloatSyntax();

    /// <summary>
    /// Parses <paramref name="text"/> like Python's <c>float()</c>: surrounding whitespace allowed, underscores between
    /// digits, exponents, <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case. Returns false where Python raises.
    /// </summary>
    public static bool TryParse(string text, out double value)
    {
        value = 0;
        var t = text.Trim(' ', '\t', '\n', '\r', '\f', '\v');
        if (t.Length == 0 || t.Length > 400) return false;
        var unsigned = t.TrimStart('+', '-');
        if (unsigned.Length == t.Length - 1 || unsigned.Length == t.Length)
        {
            var sign = t.StartsWith('-') ? -1.0 : 1.0;
            var lower = unsigned.ToLowerInvariant();
            if (lower is "inf" or "infinity") { value = sign * double.PositiveInfinity; return true; }
            if (lower == "nan") { value = double.NaN; return true; }
        }
        if (!FloatSyntax().IsMatch(t)) return false;
        return double.TryParse(t.Replace("_", string.Empty), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
