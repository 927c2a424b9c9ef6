using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Tests.Docs;

/// <summary>
/// A figure of the demo quoted in the documentation, marked by an HTML comment right after it:
/// <c>45 %&lt;!-- demo: iter1200/summary.json results -> arith_demo/accuracy ×100 --&gt;</c>.
/// <list type="bullet">
/// <item>The file is relative to the demo's output directory.</item>
/// <item>For a .json file the selector is a path of property names joined by <c> -> </c>.</item>
/// <item>For a .csv file it is <c>column=value;column=value -> column</c>: the filters pick exactly one row, the last
/// name is the column read.</item>
/// <item>An optional <c>×N</c> multiplies the value (percentages).</item>
/// </list>
/// The written figure matches when the value, rounded to the figure's own number of decimals, equals it (a figure in
/// e-notation: decimals of the mantissa). Between the number and the comment only a unit (%, pp) may stand.
/// </summary>
internal sealed partial record DemoFigure(string File, int Line, string Written, double Figure, double Tolerance, string Source, string Selector, double Scale)
{
    /// <summary>Every marked figure of <paramref name="markdown"/>; a marker not preceded by a number is an error.</summary>
    public static IReadOnlyList<DemoFigure> Parse(string file, string markdown)
    {
        var figures = new List<DemoFigure>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match m in MarkerPattern().Matches(lines[i]))
            {
                var before = lines[i][..m.Index];
                var number = NumberBeforeMarker().Match(before);
                if (!number.Success)
                    throw new FormatException($"{file}:{i + 1}: a demo marker without a number right before it: {m.Value}");
                var (figure, tolerance) = ParseFigure(number.Groups["n"].Value);
                var body = m.Groups["body"].Value.Trim();
                var scale = 1.0;
                var scaleMatch = ScaleSuffix().Match(body);
                if (scaleMatch.Success)
                {
                    scale = double.Parse(scaleMatch.Groups["s"].Value, CultureInfo.InvariantCulture);
                    body = body[..scaleMatch.Index].TrimEnd();
                }
                var space = body.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0) throw new FormatException($"{file}:{i + 1}: a demo marker needs a file and a selector: {m.Value}");
                figures.Add(new DemoFigure(file, i + 1, number.Groups["n"].Value, figure, tolerance, body[..space], body[(space + 1)..].Trim(), scale));
            }
        }
        return figures;
    }

    /// <summary>The value this figure quotes, read from the demo's output directory <paramref name="outputDir"/>.</summary>
    public double Actual(string outputDir)
    {
        var path = Path.Combine(outputDir, Source);
        if (!System.IO.File.Exists(path)) throw new FormatException($"{Where}: no demo output {Source}");
        var value = Source.EndsWith(".json", StringComparison.Ordinal) ? FromJson(path)
            : Source.EndsWith(".csv", StringComparison.Ordinal) ? FromCsv(path)
            : throw new FormatException($"{Where}: demo output {Source} is neither .json nor .csv");
        return value * Scale;
    }

    /// <summary>True when the written figure is the value rounded to the figure's decimals.</summary>
    public bool Matches(double actual) => double.IsFinite(actual) && Math.Abs(actual - Figure) <= Tolerance;

    public string Where => $"{File}:{Line}";

    private double FromJson(string path)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var element = doc.RootElement;
        foreach (var name in Selector.Split("->", StringSplitOptions.TrimEntries))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                throw new FormatException($"{Where}: {Source} has no '{name}' (selector '{Selector}')");
        }
        return element.ValueKind == JsonValueKind.Number ? element.GetDouble()
            : throw new FormatException($"{Where}: {Source} '{Selector}' is not a number but {element}");
    }

    private double FromCsv(string path)
    {
        var parts = Selector.Split("->", StringSplitOptions.TrimEntries);
        if (parts.Length != 2) throw new FormatException($"{Where}: a CSV selector is 'column=value;… -> column', got '{Selector}'");
        var filters = parts[0].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Select(f => f.Length == 2 ? (Column: f[0], Value: f[1])
                : throw new FormatException($"{Where}: filter '{string.Join('=', f)}' is not column=value")).ToArray();
        var rows = System.IO.File.ReadAllLines(path).Select(SplitCsvLine).ToArray();
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name) is var c and >= 0 ? c
            : throw new FormatException($"{Where}: {Source} has no column '{name}'");
        var indexed = filters.Select(f => (Index: Column(f.Column), f.Value)).ToArray();
        var target = Column(parts[1]);
        var hits = rows.Skip(1).Where(r => indexed.All(f => r[f.Index] == f.Value)).ToArray();
        if (hits.Length != 1) throw new FormatException($"{Where}: '{parts[0]}' selects {hits.Length} rows of {Source}, not one");
        return double.TryParse(hits[0][target], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException($"{Where}: {Source} column '{parts[1]}' holds '{hits[0][target]}', not a number");
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).</summary>
    internal static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>The number and half a unit of its last written digit.</summary>
    internal static (double Figure, double Tolerance) ParseFigure(string written)
    {
        var text = written.Replace('−', '-').Replace(",", "", StringComparison.Ordinal);
        var e = text.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? text : text[..e];
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : mantissa.Length - dot - 1;
        var figure = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var tolerance = 0.5 * Math.Pow(10, exponent - decimals) * (1 + 1e-9) + Math.Abs(figure) * 1e-12;
        return (figure, tolerance);
    }

    [GeneratedRegex(@"<!--\s*demo:(?<body>.*?)-->")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"(?<n>[−+-]?\d[\d,]*(?:\.\d+)?(?:[eE][−+-]?\d+)?)\s*(?:%|pp)?\s*$")]
    private static partial Regex NumberBeforeMarker();

    [GeneratedRegex(@"\s×(?<s>\d+(?:\.\d+)?)$")]
    private static partial Regex ScaleSuffix();
}
