using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// The tokenizer.json <c>normalizer</c> as a Microsoft.ML.Tokenizers <see cref="Normalizer"/>:
/// NFC/NFD/NFKC/NFKD, Lowercase, Prepend, Replace (string or regex), Strip and Sequence of these.
/// </summary>
internal sealed class HfNormalizer : Normalizer
{
    private readonly Func<string, string>[] _steps;

    private HfNormalizer(Func<string, string>[] steps) => _steps = steps;

    /// <summary>Builds the normalizer, or returns null when the JSON node is null (no normalization).</summary>
    public static HfNormalizer? FromJson(JsonElement? node, string file)
    {
        if (node is null) return null;
        var steps = new List<Func<string, string>>();
        AddSteps(node.Value, file, "normalizer", steps);
        return steps.Count == 0 ? null : new HfNormalizer(steps.ToArray());
    }

    public override string Normalize(string original)
    {
        var text = original;
        foreach (var step in _steps) text = step(text);
        return text;
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    private static void AddSteps(JsonElement root, string file, string rootPath, List<Func<string, string>> steps) =>
        JsonReaders.VisitComponents(root, "normalizers", file, rootPath, (node, type, path) => AddStepsOne(node, type, file, path, steps));

    private static void AddStepsOne(JsonElement node, string type, string file, string path, List<Func<string, string>> steps)
    {
        switch (type)
        {
            case "NFC": steps.Add(s => s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC)); break;
            case "NFD": steps.Add(s => s.Normalize(NormalizationForm.FormD)); break;
            case "NFKC": steps.Add(s => s.Normalize(NormalizationForm.FormKC)); break;
            case "NFKD": steps.Add(s => s.Normalize(NormalizationForm.FormKD)); break;
            case "Lowercase": steps.Add(s => s.ToLowerInvariant()); break;
            case "Prepend":
                var prepend = JsonReaders.RequireString(node, "prepend", file, path + ".prepend");
                steps.Add(s => s.Length == 0 ? s : prepend + s);
                break;
            case "Replace":
                var content = JsonReaders.RequireString(node, "content", file, path + ".content");
                var pattern = JsonReaders.RequireObject(node, "pattern", file, path + ".pattern");
                if (pattern.TryGetProperty("String", out var literal) && literal.ValueKind == JsonValueKind.String)
                {
                    var from = literal.GetString()!;
                    steps.Add(s => s.Replace(from, content, StringComparison.Ordinal));
                }
                else if (pattern.TryGetProperty("Regex", out var rx) && rx.ValueKind == JsonValueKind.String)
                {
                    var regex = PatternRegex.Create(rx.GetString()!, file, path + ".pattern.Regex");
                    steps.Add(s => regex.Replace(s, content.Replace("$", "$$", StringComparison.Ordinal)));
                }
                else throw new TokenizerLoadException(file, path + ".pattern", "must hold a \"String\" or \"Regex\" value.");
                break;
            case "Strip":
                var left = JsonReaders.OptionalBool(node, "strip_left", true, file, path + ".strip_left");
                var right = JsonReaders.OptionalBool(node, "strip_right", true, file, path + ".strip_right");
                steps.Add(s => left && right ? s.Trim() : left ? s.TrimStart() : right ? s.TrimEnd() : s);
                break;
            default:
                throw new NotSupportedException($"{file}: normalizer type '{type}' (at {path}) is not supported by HfTokenizer.");
        }
    }
}
