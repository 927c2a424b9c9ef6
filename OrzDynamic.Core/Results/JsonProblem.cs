using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Results;

/// <summary>
/// What is wrong with a JSON text that failed to deserialize, in one short phrase naming the JSON path:
/// <c>field $.output is null</c>, <c>field $.index is a string; expected an integer</c>,
/// <c>field $.units[3] is null</c>, or the parser's own words for text that is not JSON.
/// </summary>
internal static partial class JsonProblem
{
    /// <summary>Describes <paramref name="ex"/>, raised while reading <paramref name="json"/>.</summary>
    public static string Describe(JsonException ex, ReadOnlySpan<byte> json)
    {
        var path = ex.Path;
        if (ex is NullElementException element) return $"field {path}[{element.Index}] is null";
        var kind = path is null ? null : KindAt(json, path);
        if (kind == JsonValueKind.Null) return $"field {path} is null";
        var expected = Expected(ex.Message);
        if (kind is { } k && expected is not null) return $"field {path} is {Name(k)}; expected {expected}";
        var reason = Trimmed(ex.Message);
        return path is null or "$" || kind is null ? $"{reason} (at {path ?? "$"})" : $"field {path}: {reason}";
    }

    /// <summary>As <see cref="Describe(JsonException, ReadOnlySpan{byte})"/>, for a text.</summary>
    public static string Describe(JsonException ex, string json) => Describe(ex, System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>The 1-based line of the problem in a multi-line file (JSON line numbers are 0-based).</summary>
    public static int Line(JsonException ex) => (int)(ex.LineNumber ?? 0) + 1;

    private static string Trimmed(string message)
    {
        foreach (var cut in new[] { " Path: ", " LineNumber: " })
        {
            int i = message.IndexOf(cut, StringComparison.Ordinal);
            if (i >= 0) message = message[..i];
        }
        return message.TrimEnd(' ', '.', '|');
    }

    private static string? Expected(string message)
    {
        var m = ConvertedTo().Match(message);
        if (!m.Success) return null;
        var type = m.Groups["type"].Value;
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" or "System.UInt32" or "System.UInt64" => "an integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when type.StartsWith("System.Nullable", StringComparison.Ordinal) => "a value or null",
            _ => $"a {type[(type.LastIndexOf('.') + 1)..].TrimEnd('`', '1', '2')} object",
        };
    }

    private static string Name(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>The kind of the value at a JSON path of the form <c>$.a.b[2]['c d']</c>, or null when it cannot be found.</summary>
    private static JsonValueKind? KindAt(ReadOnlySpan<byte> json, string path)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            var e = doc.RootElement;
            foreach (Match step in PathStep().Matches(path))
            {
                if (step.Groups["index"].Success)
                {
                    int i = int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (e.ValueKind != JsonValueKind.Array || i >= e.GetArrayLength()) return null;
                    e = e[i];
                }
                else
                {
                    var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
                    if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e)) return null;
                }
            }
            return e.ValueKind;
        }
    }

    [GeneratedRegex(@"converted to (?<type>[^\s]+?)\.(\s|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}
