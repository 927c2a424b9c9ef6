namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Number formatting and parsing as JavaScript does it (<c>String(x)</c>, <c>parseInt</c>, <c>parseFloat</c>).</summary>
internal static class JsNumber
{
    /// <summary>2^53 - 1, the largest integer a JavaScript number holds exactly.</summary>
    public const long MaxSafeInteger = 9007199254740991;

    /// <summary>JavaScript's <c>Number.prototype.toString()</c>: shortest round-trip digits, exponent form below 1e-6 and from 1e21.</summary>
    public static string ToString(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return "0";
        var sign = value < 0 ? "-" : "";
        var (digits, n) = Decompose(Math.Abs(value));
        var k = digits.Length;
        string body;
        if (k <= n && n <= 21) body = digits + new string('0', n - k);
        else if (0 < n && n <= 21) body = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0) body = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            body = digits[..1] + (k > 1 ? "." + digits[1..] : "") + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return sign + body;
    }

    /// <summary>The shortest round-trip decimal digits of a positive finite value and the position n of the decimal point
    /// (value = 0.d1d2… × 10^n).</summary>
    private static (string Digits, int PointPosition) Decompose(double value)
    {
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.');
        var integerPart = dot < 0 ? r : r[..dot];
        var fraction = dot < 0 ? "" : r[(dot + 1)..];
        var digits = integerPart + fraction;
        var point = integerPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        point -= lead;
        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point);
    }

    /// <summary>How the reference renders a float: integral values with one decimal ("5.0"), -0 as "-0.0".</summary>
    public static string FloatDisplay(double value)
    {
        if (value == 0 && double.IsNegative(value)) return "-0.0";
        if (double.IsFinite(value) && Math.Abs(value) < 1e21 && Math.Floor(value) == value)
            return value.ToString("F1", CultureInfo.InvariantCulture);
        return ToString(value);
    }

    /// <summary>JavaScript's <c>parseInt(s, 10)</c>: leading whitespace, a sign and a run of digits; null for NaN.</summary>
    public static double? ParseInt(string s)
    {
        var i = 0;
        while (i < s.Length && JsText.IsWhitespace(s[i])) i++;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        var start = i;
        while (i < s.Length && JsText.IsDigit(s[i])) i++;
        if (i == start) return null;
        var value = double.Parse(s[start..i], NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>JavaScript's <c>parseFloat</c>: the longest decimal-literal prefix after whitespace; null for NaN.</summary>
    public static double? ParseFloat(string s)
    {
        var i = 0;
        while (i < s.Length && JsText.IsWhitespace(s[i])) i++;
        var start = i;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        if (string.CompareOrdinal(s, i, "Infinity", 0, 8) == 0)
            return s[start] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        var digitsStart = i;
        while (i < s.Length && JsText.IsDigit(s[i])) i++;
        var intDigits = i - digitsStart;
        var fracDigits = 0;
        if (i < s.Length && s[i] == '.')
        {
            var j = i + 1;
            while (j < s.Length && JsText.IsDigit(s[j])) j++;
            fracDigits = j - i - 1;
            if (intDigits > 0 || fracDigits > 0) i = j;
        }
        if (intDigits == 0 && fracDigits == 0) return null;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var j = i + 1;
            if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
            var expStart = j;
            while (j < s.Length && JsText.IsDigit(s[j])) j++;
            if (j > expStart) i = j;
        }
        return double.Parse(s[start..i], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>JavaScript's <c>Number(s)</c> for a string (used by loose equality): whitespace-trimmed decimal, "" is 0.</summary>
    public static double ToNumber(string s)
    {
        var t = JsText.Trim(s);
        if (t.Length == 0) return 0;
        if (t is "Infinity" or "+Infinity") return double.PositiveInfinity;
        if (t == "-Infinity") return double.NegativeInfinity;
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)) return hex;
        foreach (var c in t)
            if (!(JsText.IsDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return double.NaN;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }
}
