using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// The tokenizer.json <c>pre_tokenizer</c> as a Microsoft.ML.Tokenizers <see cref="PreTokenizer"/>.
/// The library's <see cref="RegexPreTokenizer"/> only keeps regex matches; Hugging Face's <c>Split</c> also has
/// behaviours (Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous) and <c>invert</c>, and pre-tokenizers
/// chain in a <c>Sequence</c> — this class implements those semantics over offsets. Steps that rewrite the text
/// (ByteLevel's <c>add_prefix_space</c>, Metaspace) are exposed through <see cref="TransformSegment"/>, applied by the
/// caller before splitting.
/// </summary>
internal sealed class HfPreTokenizer : PreTokenizer
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private enum Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    private abstract record Step;
    private sealed record RegexSplit(Regex Regex, Behavior Behavior, bool Invert) : Step;
    private sealed record LiteralSplit(string Literal, Behavior Behavior, bool Invert) : Step;

    private readonly List<Step> _steps = new();
    private bool _prefixSpace;
    private string? _metaspaceReplacement;
    private string _metaspacePrependScheme = "always";

    private HfPreTokenizer() { }

    /// <summary>True when a ByteLevel step is present (the model then works on byte-level text).</summary>
    public bool HasByteLevel { get; private set; }

    /// <summary>True when some step rewrites the text, so <see cref="TransformSegment"/> must run first.</summary>
    public bool TransformsText => _prefixSpace || _metaspaceReplacement is not null;

    /// <summary>Builds the pre-tokenizer; a null node means no pre-tokenization (the whole segment is one word).</summary>
    public static HfPreTokenizer FromJson(JsonElement? node, string file)
    {
        var result = new HfPreTokenizer();
        if (node is not null) result.Add(node.Value, file, "pre_tokenizer");
        return result;
    }

    /// <summary>Applies the text-rewriting parts (prefix space, Metaspace) to one plain segment.</summary>
    public string TransformSegment(string segment, bool isFirstSegment)
    {
        if (_prefixSpace && segment.Length > 0 && segment[0] != ' ') segment = " " + segment;
        if (_metaspaceReplacement is not null)
        {
            segment = segment.Replace(" ", _metaspaceReplacement, StringComparison.Ordinal);
            var prepend = _metaspacePrependScheme == "always" || (_metaspacePrependScheme == "first" && isFirstSegment);
            if (prepend && segment.Length > 0 && !segment.StartsWith(_metaspaceReplacement, StringComparison.Ordinal))
                segment = _metaspaceReplacement + segment;
        }
        return segment;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        Split(text, pieces);
        return pieces;
    }

    /// <summary>Splits <paramref name="text"/> into word ranges, appending them to <paramref name="output"/>.</summary>
    public void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> output)
    {
        if (text.Length == 0) return;
        if (_steps.Count == 0) { output.Add((0, text.Length)); return; }
        var current = new List<(int Offset, int Length)> { (0, text.Length) };
        var next = new List<(int Offset, int Length)>();
        var parts = new List<(int Offset, int Length, bool IsMatch)>();
        for (var s = 0; s < _steps.Count; s++)
        {
            var target = s == _steps.Count - 1 ? output : next;
            foreach (var (offset, length) in current)
            {
                parts.Clear();
                FindParts(_steps[s], text.Slice(offset, length), offset, parts);
                Combine(parts, StepBehavior(_steps[s]), target);
            }
            if (target == next) { (current, next) = (next, current); next.Clear(); }
        }
    }

    private static Behavior StepBehavior(Step step) => step switch
    {
        RegexSplit r => r.Behavior,
        LiteralSplit l => l.Behavior,
        _ => Behavior.Isolated,
    };

    private static void FindParts(Step step, ReadOnlySpan<char> piece, int baseOffset, List<(int, int, bool)> parts)
    {
        var invert = step switch { RegexSplit r => r.Invert, LiteralSplit l => l.Invert, _ => false };
        var last = 0;
        void AddMatch(int start, int length)
        {
            if (start > last) parts.Add((baseOffset + last, start - last, invert));
            parts.Add((baseOffset + start, length, !invert));
            last = start + length;
        }
        switch (step)
        {
            case RegexSplit r:
                var proxy = CodePointProxy.TryCreate(piece);
                if (proxy is null)
                {
                    foreach (var m in r.Regex.EnumerateMatches(piece))
                        if (m.Length > 0) AddMatch(m.Index, m.Length);
                }
                else
                {
                    foreach (var m in r.Regex.EnumerateMatches(proxy.Text))
                    {
                        if (m.Length == 0) continue;
                        var start = proxy.OriginalOffset(m.Index);
                        AddMatch(start, proxy.OriginalOffset(m.Index + m.Length) - start);
                    }
                }
                break;
            case LiteralSplit l when l.Literal.Length > 0:
                var pos = 0;
                while (pos < piece.Length)
                {
                    var idx = piece[pos..].IndexOf(l.Literal.AsSpan(), StringComparison.Ordinal);
                    if (idx < 0) break;
                    AddMatch(pos + idx, l.Literal.Length);
                    pos += idx + l.Literal.Length;
                }
                break;
        }
        if (last < piece.Length) parts.Add((baseOffset + last, piece.Length - last, invert));
    }

    private static void Combine(List<(int Offset, int Length, bool IsMatch)> parts, Behavior behavior, List<(int Offset, int Length)> output)
    {
        switch (behavior)
        {
            case Behavior.Isolated:
                foreach (var p in parts) output.Add((p.Offset, p.Length));
                break;
            case Behavior.Removed:
                foreach (var p in parts) if (!p.IsMatch) output.Add((p.Offset, p.Length));
                break;
            case Behavior.MergedWithPrevious:
            {
                // A match joins the part before it, unless that part was itself a match (as in tokenizers' Split).
                var first = output.Count;
                var previousMatch = false;
                foreach (var p in parts)
                {
                    if (p.IsMatch && !previousMatch && output.Count > first)
                    {
                        var last = output[^1];
                        output[^1] = (last.Offset, p.Offset + p.Length - last.Offset);
                    }
                    else output.Add((p.Offset, p.Length));
                    previousMatch = p.IsMatch;
                }
                break;
            }
            case Behavior.MergedWithNext:
            {
                // A match joins the part after it, unless that part is itself a match.
                var merged = new List<(int Offset, int Length)>();
                var nextMatch = false;
                for (var k = parts.Count - 1; k >= 0; k--)
                {
                    var p = parts[k];
                    if (p.IsMatch && !nextMatch && merged.Count > 0)
                    {
                        var last = merged[^1];
                        merged[^1] = (p.Offset, last.Offset + last.Length - p.Offset);
                    }
                    else merged.Add((p.Offset, p.Length));
                    nextMatch = p.IsMatch;
                }
                for (var k = merged.Count - 1; k >= 0; k--) output.Add(merged[k]);
                break;
            }
            case Behavior.Contiguous:
            {
                var start = -1; var end = -1; var inMatch = false;
                foreach (var p in parts)
                {
                    if (p.IsMatch && inMatch && start >= 0) { end = p.Offset + p.Length; continue; }
                    if (start >= 0) output.Add((start, end - start));
                    start = p.Offset; end = p.Offset + p.Length; inMatch = p.IsMatch;
                }
                if (start >= 0) output.Add((start, end - start));
                break;
            }
        }
    }

    private void Add(JsonElement root, string file, string rootPath) =>
        JsonReaders.VisitComponents(root, "pretokenizers", file, rootPath, (node, type, path) => AddOne(node, type, file, path));

    private void AddOne(JsonElement node, string type, string file, string path)
    {
        switch (type)
        {
            case "Split":
            {
                var behavior = ParseBehavior(JsonReaders.RequireString(node, "behavior", file, path + ".behavior"), file, path + ".behavior");
                var invert = JsonReaders.OptionalBool(node, "invert", false, file, path + ".invert");
                var pattern = JsonReaders.RequireObject(node, "pattern", file, path + ".pattern");
                if (pattern.TryGetProperty("Regex", out var rx) && rx.ValueKind == JsonValueKind.String)
                    _steps.Add(new RegexSplit(PatternRegex.Create(rx.GetString()!, file, path + ".pattern.Regex"), behavior, invert));
                else if (pattern.TryGetProperty("String", out var literal) && literal.ValueKind == JsonValueKind.String)
                    _steps.Add(new LiteralSplit(literal.GetString()!, behavior, invert));
                else throw new TokenizerLoadException(file, path + ".pattern", "must hold a \"String\" or \"Regex\" value.");
                break;
            }
            case "ByteLevel":
            {
                HasByteLevel = true;
                if (JsonReaders.OptionalBool(node, "add_prefix_space", false, file, path + ".add_prefix_space"))
                {
                    if (_steps.Count > 0)
                        throw new NotSupportedException($"{file}: ByteLevel pre-tokenizer with add_prefix_space after a splitting step (at {path}) is not supported by HfTokenizer.");
                    _prefixSpace = true;
                }
                if (JsonReaders.OptionalBool(node, "use_regex", true, file, path + ".use_regex"))
                    _steps.Add(new RegexSplit(new Regex(Gpt2Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), Behavior.Isolated, false));
                break;
            }
            case "Digits":
            {
                var individual = JsonReaders.OptionalBool(node, "individual_digits", false, file, path + ".individual_digits");
                _steps.Add(new RegexSplit(new Regex(individual ? @"\p{Nd}" : @"\p{Nd}+", RegexOptions.Compiled | RegexOptions.CultureInvariant), Behavior.Isolated, false));
                break;
            }
            case "Whitespace":
                _steps.Add(new RegexSplit(new Regex(@"\w+|[^\w\s]+", RegexOptions.Compiled | RegexOptions.CultureInvariant), Behavior.Removed, true));
                break;
            case "WhitespaceSplit":
                _steps.Add(new RegexSplit(new Regex(@"\s+", RegexOptions.Compiled | RegexOptions.CultureInvariant), Behavior.Removed, false));
                break;
            case "Metaspace":
            {
                if (_steps.Count > 0 || _prefixSpace)
                    throw new NotSupportedException($"{file}: Metaspace pre-tokenizer after another step (at {path}) is not supported by HfTokenizer.");
                var replacement = JsonReaders.OptionalString(node, "replacement", file, path + ".replacement") ?? "\u2581";
                _metaspaceReplacement = replacement;
                var scheme = JsonReaders.OptionalString(node, "prepend_scheme", file, path + ".prepend_scheme");
                if (scheme is null)
                    scheme = JsonReaders.OptionalBool(node, "add_prefix_space", true, file, path + ".add_prefix_space") ? "always" : "never";
                if (scheme is not ("always" or "first" or "never"))
                    throw new TokenizerLoadException(file, path + ".prepend_scheme", $"unknown value '{scheme}' (expected always, first or never).");
                _metaspacePrependScheme = scheme;
                if (JsonReaders.OptionalBool(node, "split", true, file, path + ".split"))
                    _steps.Add(new LiteralSplit(replacement, Behavior.MergedWithNext, false));
                break;
            }
            default:
                throw new NotSupportedException($"{file}: pre-tokenizer type '{type}' (at {path}) is not supported by HfTokenizer.");
        }
    }

    private static Behavior ParseBehavior(string value, string file, string fieldPath) => value switch
    {
        "Removed" => Behavior.Removed,
        "Isolated" => Behavior.Isolated,
        "MergedWithPrevious" => Behavior.MergedWithPrevious,
        "MergedWithNext" => Behavior.MergedWithNext,
        "Contiguous" => Behavior.Contiguous,
        _ => throw new TokenizerLoadException(file, fieldPath, $"unknown split behavior '{value}'."),
    };
}
