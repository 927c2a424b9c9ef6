namespace OrzDynamic.Core.Tokenization;

/// <summary>The parts of a tokenizer.json file, ready to run.</summary>
internal sealed record TokenizerParts(
    ITokenModel Model,
    HfNormalizer? Normalizer,
    HfPreTokenizer PreTokenizer,
    HfPostProcessor PostProcessor,
    HfDecoder Decoder,
    IReadOnlyList<AddedToken> AddedTokens,
    bool IsByteLevel,
    string ModelType);

/// <summary>Reads tokenizer.json (Hugging Face tokenizers format) into <see cref="TokenizerParts"/>.</summary>
internal static class TokenizerJsonLoader
{
    public static TokenizerParts Load(string file)
    {
        using var doc = JsonReaders.ParseFile(file);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new TokenizerLoadException(file, null, "top level must be a JSON object.");

        var normalizer = HfNormalizer.FromJson(JsonReaders.OptionalNode(root, "normalizer"), file);
        var preTokenizer = HfPreTokenizer.FromJson(JsonReaders.OptionalNode(root, "pre_tokenizer"), file);
        var postProcessor = HfPostProcessor.FromJson(JsonReaders.OptionalNode(root, "post_processor"), file);
        var decoder = HfDecoder.FromJson(JsonReaders.OptionalNode(root, "decoder"), file);
        var added = ReadAddedTokens(root, file);

        var model = JsonReaders.RequireObject(root, "model", file, "model");
        var type = JsonReaders.OptionalString(model, "type", file, "model.type")
                   ?? (model.TryGetProperty("merges", out _) ? "BPE" : throw new TokenizerLoadException(file, "model.type", "is missing."));
        if (type != "BPE")
            throw new NotSupportedException($"{file}: model type '{type}' is not supported by HfTokenizer (only BPE: byte-level or with byte fallback).");

        var prefix = JsonReaders.OptionalString(model, "continuing_subword_prefix", file, "model.continuing_subword_prefix");
        var suffix = JsonReaders.OptionalString(model, "end_of_word_suffix", file, "model.end_of_word_suffix");
        if (!string.IsNullOrEmpty(prefix)) throw new NotSupportedException($"{file}: BPE continuing_subword_prefix '{prefix}' is not supported by HfTokenizer.");
        if (!string.IsNullOrEmpty(suffix)) throw new NotSupportedException($"{file}: BPE end_of_word_suffix '{suffix}' is not supported by HfTokenizer.");

        var vocab = new VocabularyTable(ReadVocab(model, file), file);
        var merges = ReadMerges(model, file);
        var byteFallback = JsonReaders.OptionalBool(model, "byte_fallback", false, file, "model.byte_fallback");
        var ignoreMerges = JsonReaders.OptionalBool(model, "ignore_merges", false, file, "model.ignore_merges");
        var unk = JsonReaders.OptionalString(model, "unk_token", file, "model.unk_token");
        var fuseUnk = JsonReaders.OptionalBool(model, "fuse_unk", false, file, "model.fuse_unk");

        ITokenModel tokenModel;
        if (preTokenizer.HasByteLevel)
        {
            tokenModel = new ByteLevelBpeModel(vocab, merges, ignoreMerges, file, preTokenizer);
        }
        else
        {
            if (ignoreMerges) throw new NotSupportedException($"{file}: ignore_merges without a ByteLevel pre-tokenizer is not supported by HfTokenizer.");
            tokenModel = new ByteFallbackBpeModel(vocab, merges, byteFallback, unk, fuseUnk, file);
        }
        return new TokenizerParts(tokenModel, normalizer, preTokenizer, postProcessor, decoder, added, preTokenizer.HasByteLevel, type);
    }

    internal static Dictionary<string, int> ReadVocab(JsonElement model, string file)
    {
        var node = JsonReaders.RequireObject(model, "vocab", file, "model.vocab");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in node.EnumerateObject())
        {
            var id = JsonReaders.AsInt(entry.Value, file, $"model.vocab[\"{entry.Name}\"]");
            if (!vocab.TryAdd(entry.Name, id)) throw new TokenizerLoadException(file, $"model.vocab[\"{entry.Name}\"]", "appears twice.");
        }
        if (vocab.Count == 0) throw new TokenizerLoadException(file, "model.vocab", "is empty.");
        return vocab;
    }

    internal static List<(string, string)> ReadMerges(JsonElement model, string file)
    {
        var node = JsonReaders.OptionalNode(model, "merges");
        var merges = new List<(string, string)>();
        if (node is null) return merges;
        if (node.Value.ValueKind != JsonValueKind.Array) throw new TokenizerLoadException(file, "model.merges", $"must be an array but is {node.Value.ValueKind}.");
        var i = 0;
        foreach (var item in node.Value.EnumerateArray())
        {
            var field = $"model.merges[{i}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                var text = item.GetString()!;
                var space = text.IndexOf(' ', 1);
                if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                    throw new TokenizerLoadException(file, field, $"\"{text}\" must be two tokens separated by one space.");
                merges.Add((text[..space], text[(space + 1)..]));
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
                     && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((item[0].GetString()!, item[1].GetString()!));
            }
            else throw new TokenizerLoadException(file, field, $"must be \"left right\" or [\"left\", \"right\"] but is {JsonReaders.Describe(item)}.");
            i++;
        }
        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string file)
    {
        var result = new List<AddedToken>();
        var node = JsonReaders.OptionalNode(root, "added_tokens");
        if (node is null) return result;
        if (node.Value.ValueKind != JsonValueKind.Array) throw new TokenizerLoadException(file, "added_tokens", "must be an array.");
        var i = 0;
        foreach (var item in node.Value.EnumerateArray())
        {
            var field = $"added_tokens[{i++}]";
            var content = JsonReaders.RequireString(item, "content", file, field + ".content");
            if (content.Length == 0) throw new TokenizerLoadException(file, field + ".content", "is empty.");
            result.Add(new AddedToken(
                JsonReaders.RequireInt(item, "id", file, field + ".id"),
                content,
                JsonReaders.OptionalBool(item, "special", false, file, field + ".special"),
                JsonReaders.OptionalBool(item, "lstrip", false, file, field + ".lstrip"),
                JsonReaders.OptionalBool(item, "rstrip", false, file, field + ".rstrip"),
                JsonReaders.OptionalBool(item, "single_word", false, file, field + ".single_word"),
                JsonReaders.OptionalBool(item, "normalized", false, file, field + ".normalized")));
        }
        return result;
    }
}
