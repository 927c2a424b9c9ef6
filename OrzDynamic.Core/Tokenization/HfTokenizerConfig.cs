namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// What a Hugging Face checkpoint says about special tokens outside tokenizer.json: <c>tokenizer_config.json</c>
/// (bos/eos/pad/unk token text, add_bos_token / add_eos_token, clean_up_tokenization_spaces, tokenizer_class,
/// chat_template) and <c>generation_config.json</c> (bos/eos/pad token ids; eos may be a list).
/// </summary>
internal sealed record HfTokenizerConfig
{
    /// <summary>Beginning-of-sequence token text (a string or an AddedToken object's <c>content</c>), or null.</summary>
    public string? BosToken { get; init; }

    /// <summary>End-of-sequence token text, or null.</summary>
    public string? EosToken { get; init; }

    /// <summary>Padding token text, or null.</summary>
    public string? PadToken { get; init; }

    /// <summary>Unknown token text, or null.</summary>
    public string? UnkToken { get; init; }

    /// <summary>The <c>add_bos_token</c> flag when the file sets it.</summary>
    public bool? AddBosToken { get; init; }

    /// <summary>The <c>add_eos_token</c> flag when the file sets it.</summary>
    public bool? AddEosToken { get; init; }

    /// <summary>Whether decoding removes spaces before punctuation (<c>clean_up_tokenization_spaces</c>; default false).</summary>
    public bool CleanUpTokenizationSpaces { get; init; }

    /// <summary>
    /// <c>split_special_tokens</c>: when true, special-token text inside the input is tokenized as ordinary text
    /// (only non-special added tokens are matched). Default false.
    /// </summary>
    public bool SplitSpecialTokens { get; init; }

    /// <summary>The <c>tokenizer_class</c>, e.g. "Qwen2Tokenizer" or "LlamaTokenizer", or null.</summary>
    public string? TokenizerClass { get; init; }

    /// <summary>
    /// The Jinja chat template: the <c>chat_template</c> string, or the entry named "default" when the file lists named
    /// templates (<c>[{"name": …, "template": …}]</c>); null when there is none.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Every named chat template when <c>chat_template</c> is a list (e.g. "default", "tool_use"); empty otherwise.</summary>
    public IReadOnlyDictionary<string, string> NamedChatTemplates { get; init; } = new Dictionary<string, string>();

    /// <summary><c>bos_token_id</c> from generation_config.json, or null.</summary>
    public int? GenerationBosTokenId { get; init; }

    /// <summary><c>eos_token_id</c> from generation_config.json (one id or a list), empty when absent.</summary>
    public IReadOnlyList<int> GenerationEosTokenIds { get; init; } = [];

    /// <summary><c>pad_token_id</c> from generation_config.json, or null.</summary>
    public int? GenerationPadTokenId { get; init; }

    /// <summary>
    /// The file <see cref="ChatTemplate"/> was read from: <c>chat_template.jinja</c> beside tokenizer_config.json (which
    /// takes precedence, as in transformers; recent versions save the template there), or tokenizer_config.json; null
    /// when there is no template.
    /// </summary>
    public string? ChatTemplatePath { get; init; }

    /// <summary>File name of the stand-alone chat template that recent transformers versions save beside tokenizer_config.json.</summary>
    public const string ChatTemplateFileName = "chat_template.jinja";

    /// <summary>Path of the tokenizer_config.json that was read, or null when there was none.</summary>
    public string? TokenizerConfigPath { get; init; }

    /// <summary>Path of the generation_config.json that was read, or null when there was none.</summary>
    public string? GenerationConfigPath { get; init; }

    /// <summary>An empty configuration (no file present).</summary>
    public static HfTokenizerConfig Empty { get; } = new();

    /// <summary>
    /// Reads <paramref name="tokenizerConfigPath"/> and <paramref name="generationConfigPath"/>; either may be null
    /// or point to a missing file, which leaves its fields unset. A <c>chat_template.jinja</c> in the directory of
    /// <paramref name="tokenizerConfigPath"/> (present or not) is the chat template.
    /// </summary>
    /// <exception cref="TokenizerLoadException">A file is not valid JSON or a field has the wrong type.</exception>
    public static HfTokenizerConfig Load(string? tokenizerConfigPath, string? generationConfigPath)
    {
        var config = new HfTokenizerConfig();
        if (tokenizerConfigPath is not null && File.Exists(tokenizerConfigPath))
        {
            using var doc = JsonReaders.ParseFile(tokenizerConfigPath);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new TokenizerLoadException(tokenizerConfigPath, null, "top level must be a JSON object.");
            var file = tokenizerConfigPath;
            config = config with
            {
                TokenizerConfigPath = file,
                BosToken = TokenText(root, "bos_token", file),
                EosToken = TokenText(root, "eos_token", file),
                PadToken = TokenText(root, "pad_token", file),
                UnkToken = TokenText(root, "unk_token", file),
                AddBosToken = JsonReaders.OptionalNode(root, "add_bos_token") is null ? null : JsonReaders.OptionalBool(root, "add_bos_token", false, file, "add_bos_token"),
                AddEosToken = JsonReaders.OptionalNode(root, "add_eos_token") is null ? null : JsonReaders.OptionalBool(root, "add_eos_token", false, file, "add_eos_token"),
                CleanUpTokenizationSpaces = JsonReaders.OptionalBool(root, "clean_up_tokenization_spaces", false, file, "clean_up_tokenization_spaces"),
                TokenizerClass = JsonReaders.OptionalString(root, "tokenizer_class", file, "tokenizer_class"),
                SplitSpecialTokens = JsonReaders.OptionalBool(root, "split_special_tokens", false, file, "split_special_tokens"),
            };
            var named = NamedTemplates(root, file);
            config = config with
            {
                NamedChatTemplates = named,
                ChatTemplate = JsonReaders.OptionalNode(root, "chat_template") is { ValueKind: JsonValueKind.String } t ? t.GetString()
                    : named.GetValueOrDefault("default"),
            };
        }
        if (config.ChatTemplate is not null) config = config with { ChatTemplatePath = config.TokenizerConfigPath };
        if (tokenizerConfigPath is not null && Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerConfigPath)) ?? ".", ChatTemplateFileName) is var jinja && File.Exists(jinja))
            config = config with { ChatTemplate = File.ReadAllText(jinja), ChatTemplatePath = jinja };
        if (generationConfigPath is not null && File.Exists(generationConfigPath))
        {
            using var doc = JsonReaders.ParseFile(generationConfigPath);
            var root = doc.RootElement;
            var file = generationConfigPath;
            if (root.ValueKind != JsonValueKind.Object) throw new TokenizerLoadException(file, null, "top level must be a JSON object.");
            config = config with
            {
                GenerationConfigPath = file,
                GenerationBosTokenId = OptionalId(root, "bos_token_id", file),
                GenerationPadTokenId = OptionalId(root, "pad_token_id", file),
                GenerationEosTokenIds = IdList(root, "eos_token_id", file),
            };
        }
        return config;
    }

    private static Dictionary<string, string> NamedTemplates(JsonElement root, string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonReaders.OptionalNode(root, "chat_template") is not { ValueKind: JsonValueKind.Array } list) return result;
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"chat_template[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw new TokenizerLoadException(file, field, $"must be an object with \"name\" and \"template\", but is {JsonReaders.Describe(item)}.");
            result[JsonReaders.RequireString(item, "name", file, field + ".name")] = JsonReaders.RequireString(item, "template", file, field + ".template");
        }
        return result;
    }

    private static string? TokenText(JsonElement root, string name, string file)
    {
        var node = JsonReaders.OptionalNode(root, name);
        if (node is null) return null;
        return node.Value.ValueKind switch
        {
            JsonValueKind.String => node.Value.GetString(),
            JsonValueKind.Object => JsonReaders.RequireString(node.Value, "content", file, name + ".content"),
            _ => throw new TokenizerLoadException(file, name, $"must be a string, an AddedToken object with \"content\", or null, but is {JsonReaders.Describe(node.Value)}."),
        };
    }

    private static int? OptionalId(JsonElement root, string name, string file)
    {
        var node = JsonReaders.OptionalNode(root, name);
        if (node is null) return null;
        if (node.Value.ValueKind == JsonValueKind.Array)
        {
            var ids = IdList(root, name, file);
            return ids.Count > 0 ? ids[0] : null;
        }
        return JsonReaders.AsInt(node.Value, file, name);
    }

    private static IReadOnlyList<int> IdList(JsonElement root, string name, string file)
    {
        var node = JsonReaders.OptionalNode(root, name);
        if (node is null) return [];
        if (node.Value.ValueKind != JsonValueKind.Array) return [JsonReaders.AsInt(node.Value, file, name)];
        var result = new List<int>();
        var i = 0;
        foreach (var item in node.Value.EnumerateArray()) result.Add(JsonReaders.AsInt(item, file, $"{name}[{i++}]"));
        return result;
    }
}
