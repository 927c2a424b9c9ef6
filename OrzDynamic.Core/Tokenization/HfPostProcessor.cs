namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// The tokenizer.json <c>post_processor</c> for single sequences: TemplateProcessing, BertProcessing,
/// RobertaProcessing, ByteLevel (no effect on ids) and Sequence of these. Applied only when special tokens are added.
/// </summary>
internal sealed class HfPostProcessor
{
    private readonly List<Func<IReadOnlyList<int>, List<int>>> _steps = new();

    private HfPostProcessor() { }

    /// <summary>True when no step changes the ids.</summary>
    public bool IsIdentity => _steps.Count == 0;

    public static HfPostProcessor FromJson(JsonElement? node, string file)
    {
        var result = new HfPostProcessor();
        if (node is not null) result.Add(node.Value, file, "post_processor");
        return result;
    }

    /// <summary>A processor that puts <paramref name="prefix"/> before and <paramref name="suffix"/> after the ids.</summary>
    public static HfPostProcessor Wrap(IReadOnlyList<int> prefix, IReadOnlyList<int> suffix)
    {
        var result = new HfPostProcessor();
        result._steps.Add(ids => [.. prefix, .. ids, .. suffix]);
        return result;
    }

    public List<int> Apply(IReadOnlyList<int> ids)
    {
        var current = ids as List<int> ?? new List<int>(ids);
        foreach (var step in _steps) current = step(current);
        return current;
    }

    private void Add(JsonElement root, string file, string rootPath) =>
        JsonReaders.VisitComponents(root, "processors", file, rootPath, (node, type, path) => AddOne(node, type, file, path));

    private void AddOne(JsonElement node, string type, string file, string path)
    {
        switch (type)
        {
            case "ByteLevel":
                break;
            case "TemplateProcessing":
                _steps.Add(ParseTemplate(node, file, path));
                break;
            case "BertProcessing":
            case "RobertaProcessing":
            {
                var cls = ParseIdPair(node, "cls", file, path);
                var sep = ParseIdPair(node, "sep", file, path);
                _steps.Add(ids => [cls, .. ids, sep]);
                break;
            }
            default:
                throw new NotSupportedException($"{file}: post-processor type '{type}' (at {path}) is not supported by HfTokenizer.");
        }
    }

    private static int ParseIdPair(JsonElement node, string name, string file, string path)
    {
        var pair = JsonReaders.RequireArray(node, name, file, $"{path}.{name}");
        if (pair.GetArrayLength() != 2) throw new TokenizerLoadException(file, $"{path}.{name}", "must be a [token, id] pair.");
        return JsonReaders.AsInt(pair[1], file, $"{path}.{name}[1]");
    }

    private static Func<IReadOnlyList<int>, List<int>> ParseTemplate(JsonElement node, string file, string path)
    {
        var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (JsonReaders.OptionalNode(node, "special_tokens") is { } specialNode)
        {
            if (specialNode.ValueKind != JsonValueKind.Object) throw new TokenizerLoadException(file, path + ".special_tokens", "must be an object.");
            foreach (var entry in specialNode.EnumerateObject())
            {
                var field = $"{path}.special_tokens[\"{entry.Name}\"].ids";
                var idsNode = JsonReaders.RequireArray(entry.Value, "ids", file, field);
                var k = 0;
                specials[entry.Name] = idsNode.EnumerateArray().Select(e => JsonReaders.AsInt(e, file, $"{field}[{k++}]")).ToArray();
            }
        }
        var single = JsonReaders.RequireArray(node, "single", file, path + ".single");
        var pieces = new List<int[]?>(); // null = the sequence itself
        var index = 0;
        foreach (var piece in single.EnumerateArray())
        {
            var field = $"{path}.single[{index++}]";
            if (piece.ValueKind == JsonValueKind.Object && piece.TryGetProperty("SpecialToken", out var special))
            {
                var id = JsonReaders.RequireString(special, "id", file, field + ".SpecialToken.id");
                if (!specials.TryGetValue(id, out var ids))
                    throw new TokenizerLoadException(file, field + ".SpecialToken.id", $"'{id}' is not listed in {path}.special_tokens.");
                pieces.Add(ids);
            }
            else if (piece.ValueKind == JsonValueKind.Object && piece.TryGetProperty("Sequence", out _))
                pieces.Add(null);
            else throw new TokenizerLoadException(file, field, "must be a {\"SpecialToken\": …} or {\"Sequence\": …} object.");
        }
        return ids =>
        {
            var result = new List<int>(ids.Count + pieces.Count);
            foreach (var piece in pieces)
            {
                if (piece is null) result.AddRange(ids);
                else result.AddRange(piece);
            }
            return result;
        };
    }
}
