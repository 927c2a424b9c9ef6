using System.Diagnostics;
using OrzDynamic.Datasets;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// A Hugging Face tokenizer loaded from a checkpoint directory (tokenizer.json, tokenizer_config.json,
/// generation_config.json). Supports byte-level BPE (GPT-2, Qwen2/2.5/3, Llama-3; built on Microsoft.ML.Tokenizers)
/// and SentencePiece-style BPE with byte fallback (Llama-1/2). Added tokens are matched in the text before the model
/// runs and are never split. Thread-safe after construction.
/// </summary>
public sealed partial class HfTokenizer : IPromptTokenizer
{
    /// <summary>File name of the main tokenizer definition.</summary>
    public const string TokenizerFileName = "tokenizer.json";

    /// <summary>File name of the tokenizer configuration (special tokens, flags).</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>File name of the generation configuration (eos ids).</summary>
    public const string GenerationConfigFileName = "generation_config.json";

    private readonly TokenizerParts _parts;
    private readonly AddedTokenMatcher _matcher;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly Dictionary<string, AddedToken> _addedByContent;
    private readonly HashSet<string> _addedContents;
    private readonly HfPostProcessor _postProcessor;
    private readonly Lazy<ChatTemplate?> _chatTemplate;

    private HfTokenizer(TokenizerParts parts, HfTokenizerConfig config, string source)
    {
        _parts = parts;
        Config = config;
        Source = source;
        AddedTokens = parts.AddedTokens;
        _matcher = new AddedTokenMatcher(config.SplitSpecialTokens ? parts.AddedTokens.Where(t => !t.Special) : parts.AddedTokens);
        _addedById = new Dictionary<int, AddedToken>();
        _addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in parts.AddedTokens)
        {
            _addedById[token.Id] = token;
            _addedByContent[token.Content] = token;
        }
        _addedContents = new HashSet<string>(_addedByContent.Keys, StringComparer.Ordinal);

        var maxId = parts.AddedTokens.Count == 0 ? -1 : parts.AddedTokens.Max(t => t.Id);
        VocabSize = Math.Max(maxId, parts.Model.MaxId) + 1;

        BosToken = config.BosToken;
        var configFile = config.TokenizerConfigPath ?? TokenizerConfigFileName;
        BosTokenId = ResolveId(config.BosToken, config.GenerationBosTokenId, configFile, "bos_token");
        EosToken = config.EosToken;
        var eos = new SortedSet<int>(config.GenerationEosTokenIds);
        if (ResolveId(config.EosToken, null, configFile, "eos_token") is { } eosId) eos.Add(eosId);
        EosTokenIds = eos;
        PadToken = config.PadToken;
        PadTokenId = ResolveId(config.PadToken, config.GenerationPadTokenId, configFile, "pad_token");
        _postProcessor = ChoosePostProcessor(parts.PostProcessor, config);
        _chatTemplate = new Lazy<ChatTemplate?>(() => config.ChatTemplate is { } text
            ? ChatTemplate.Parse(text, config.ChatTemplatePath == config.TokenizerConfigPath
                ? (config.TokenizerConfigPath ?? TokenizerConfigFileName) + " (chat_template)"
                : config.ChatTemplatePath)
            : null);
    }

    /// <summary>Where the tokenizer was loaded from.</summary>
    public string Source { get; }

    /// <summary>The tokenizer_config.json / generation_config.json settings.</summary>
    internal HfTokenizerConfig Config { get; }

    /// <summary>The tokenizer.json model type (e.g. "BPE").</summary>
    public string ModelType => _parts.ModelType;

    /// <summary>True for byte-level BPE (GPT-2 alphabet), false for SentencePiece-style BPE.</summary>
    public bool IsByteLevel => _parts.IsByteLevel;

    /// <summary>Number of ids the tokenizer can produce: highest model or added-token id plus one.</summary>
    public int VocabSize { get; }

    /// <summary>Added tokens from tokenizer.json (special and non-special).</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <inheritdoc />
    public string? BosToken { get; }

    /// <summary>Id of <see cref="BosToken"/> (or generation_config's bos_token_id), or null.</summary>
    public int? BosTokenId { get; }

    /// <summary>Text of the eos token from tokenizer_config.json, or null.</summary>
    public string? EosToken { get; }

    /// <summary>All ids that end generation: tokenizer_config's eos_token plus generation_config's eos_token_id(s).</summary>
    public IReadOnlySet<int> EosTokenIds { get; }

    /// <summary>Text of the padding token, or null.</summary>
    public string? PadToken { get; }

    /// <summary>Id of the padding token (tokenizer_config pad_token, else generation_config pad_token_id), or null.</summary>
    public int? PadTokenId { get; }

    /// <summary>
    /// Loads <c>tokenizer.json</c> and, when present, <c>tokenizer_config.json</c> and <c>generation_config.json</c>
    /// from <paramref name="directory"/>.
    /// </summary>
    /// <exception cref="TokenizerLoadException">A file is missing, is not JSON, or has a bad field.</exception>
    /// <exception cref="NotSupportedException">The file uses a model, normalizer, pre-tokenizer, post-processor or decoder type this class does not implement.</exception>
    public static HfTokenizer FromDirectory(string directory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new TokenizerLoadException(directory, null, "tokenizer directory not found.");
        return FromFiles(
            Path.Combine(directory, TokenizerFileName),
            Path.Combine(directory, TokenizerConfigFileName),
            Path.Combine(directory, GenerationConfigFileName),
            logger);
    }

    /// <summary>Loads from explicit file paths; the two configuration files are optional (null or missing).</summary>
    /// <exception cref="TokenizerLoadException">A file is missing, is not JSON, or has a bad field.</exception>
    /// <exception cref="NotSupportedException">The file uses a feature this class does not implement.</exception>
    public static HfTokenizer FromFiles(string tokenizerJsonPath, string? tokenizerConfigPath, string? generationConfigPath, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        logger ??= NullLogger.Instance;
        var watch = Stopwatch.StartNew();
        var parts = TokenizerJsonLoader.Load(tokenizerJsonPath);
        var config = HfTokenizerConfig.Load(tokenizerConfigPath, generationConfigPath);
        var tokenizer = new HfTokenizer(parts, config, tokenizerJsonPath);
        logger.LogInformation("Loaded tokenizer {Path}: {Type} ({Kind}), {Vocab} ids, {Added} added tokens, bos={Bos}, eos=[{Eos}] in {Ms} ms",
            tokenizerJsonPath, parts.ModelType, parts.IsByteLevel ? "byte-level" : "byte-fallback", tokenizer.VocabSize, parts.AddedTokens.Count,
            tokenizer.BosTokenId, string.Join(",", tokenizer.EosTokenIds), watch.ElapsedMilliseconds);
        return tokenizer;
    }

    /// <summary>Encodes without adding special tokens (special-token text inside <paramref name="text"/> is still matched).</summary>
    public IReadOnlyList<int> Encode(string text) => Encode(text, addSpecialTokens: false);

    /// <summary>
    /// Encodes <paramref name="text"/>. With <paramref name="addSpecialTokens"/> the post-processor runs
    /// (e.g. Llama-2 puts &lt;s&gt; first). Added-token text in the input is always matched as that token.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        var first = true;
        foreach (var segment in _matcher.Split(text))
        {
            if (segment.Token is not null) { ids.Add(segment.Token.Id); first = false; continue; }
            var piece = segment.Length == text.Length ? text : text.Substring(segment.Start, segment.Length);
            if (_parts.Normalizer is not null) piece = _parts.Normalizer.Normalize(piece);
            if (_parts.PreTokenizer.TransformsText) piece = _parts.PreTokenizer.TransformSegment(piece, first);
            first = false;
            _parts.Model.EncodeSegment(piece, _parts.PreTokenizer, ids);
        }
        return addSpecialTokens && !_postProcessor.IsIdentity ? _postProcessor.Apply(ids) : ids;
    }

    /// <summary>
    /// Decodes ids to text, using the tokenizer_config's clean_up_tokenization_spaces setting. Ids the tokenizer does
    /// not have (a model's padded vocabulary, e.g. Qwen2.5's vocab_size 151936 over ~151.7k tokenizer entries) decode as
    /// empty text, as Hugging Face tokenizers do; see <see cref="IsKnownId"/> to count them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) =>
        Decode(ids, skipSpecialTokens, Config.CleanUpTokenizationSpaces);

    /// <summary>
    /// Decodes ids to text; <paramref name="skipSpecialTokens"/> drops added tokens marked special. Ids the tokenizer
    /// does not have decode as empty text (as in Hugging Face tokenizers).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens, bool cleanUpTokenizationSpaces)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                tokens.Add(added.Content);
            }
            else if (_parts.Model.TryGetToken(id, out var token)) tokens.Add(token);
            else if (id < 0) throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is negative ({Source}).");
            // else: an id beyond the tokenizer (padded model vocabulary) decodes as nothing, like HF's id_to_token → None.
        }
        var text = _parts.Decoder.Decode(tokens, _addedContents);
        return cleanUpTokenizationSpaces ? CleanUpTokenization(text) : text;
    }

    /// <summary>The id of <paramref name="token"/> (added tokens first, then the model vocabulary), or null.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedByContent.TryGetValue(token, out var added)) return added.Id;
        return _parts.Model.TryGetId(token, out var id) ? id : null;
    }

    /// <summary>The raw token string of <paramref name="id"/> (byte-level form for byte-level BPE), or null.</summary>
    public string? IdToToken(int id)
    {
        if (_addedById.TryGetValue(id, out var added)) return added.Content;
        return _parts.Model.TryGetToken(id, out var token) ? token : null;
    }

    /// <summary>
    /// True when the tokenizer has <paramref name="id"/> (model vocabulary or added token); false for ids of a model's
    /// padded vocabulary, which decode as empty text.
    /// </summary>
    public bool IsKnownId(int id) => _addedById.ContainsKey(id) || _parts.Model.TryGetToken(id, out _);

    /// <summary>True when the checkpoint has a chat template (instruct, distilled and Qwen3 checkpoints do), in
    /// tokenizer_config.json or in chat_template.jinja beside it.</summary>
    public bool HasChatTemplate => Config.ChatTemplate is not null;

    /// <summary>The checkpoint's parsed chat template (parsed once).</summary>
    /// <exception cref="TokenizerLoadException">The checkpoint has no chat template (a base model), naming the config file.</exception>
    /// <exception cref="ChatTemplateException">The template does not parse, with its line and column.</exception>
    public ChatTemplate ChatTemplate => _chatTemplate.Value ?? throw new TokenizerLoadException(
        Config.TokenizerConfigPath ?? Path.Combine(Path.GetDirectoryName(Source) ?? ".", TokenizerConfigFileName), "chat_template",
        Config.TokenizerConfigPath is null
            ? "the checkpoint has neither tokenizer_config.json nor chat_template.jinja, so it has no chat template; render prompts without one."
            : "the checkpoint has no chat template (no chat_template field and no chat_template.jinja beside it; a base model?); render prompts without one.");

    /// <summary>
    /// Renders <paramref name="messages"/> with the checkpoint's chat template, as transformers'
    /// <c>apply_chat_template(..., tokenize=False)</c> does: the template sees <c>messages</c>,
    /// <c>add_generation_prompt</c>, <c>tools</c> and <c>documents</c> (none), the configured <c>bos_token</c>,
    /// <c>eos_token</c>, <c>unk_token</c> and <c>pad_token</c>, and then <paramref name="variables"/> (which may override
    /// all but the first two; e.g. <c>enable_thinking = false</c> for Qwen3). Encode the result with
    /// <c>Encode(text, addSpecialTokens: false)</c>: the template already writes the special tokens.
    /// </summary>
    /// <exception cref="TokenizerLoadException">The checkpoint has no chat template.</exception>
    /// <exception cref="ChatTemplateRaisedException">The template rejected the conversation (<c>raise_exception</c>).</exception>
    /// <exception cref="ChatTemplateException">The template uses an unsupported feature or fails on these values.</exception>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var template = ChatTemplate;
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["tools"] = null, ["documents"] = null };
        if (Config.BosToken is { } bos) all["bos_token"] = bos;
        if (Config.EosToken is { } eos) all["eos_token"] = eos;
        if (Config.UnkToken is { } unk) all["unk_token"] = unk;
        if (Config.PadToken is { } pad) all["pad_token"] = pad;
        if (variables is not null)
            foreach (var (name, value) in variables) all[name] = value;
        return template.Render(messages, addGenerationPrompt, all);
    }

    /// <summary>True when <paramref name="id"/> is an added token marked special.</summary>
    public bool IsSpecialTokenId(int id) => _addedById.TryGetValue(id, out var t) && t.Special;

    private int? ResolveId(string? token, int? fallback, string file, string field)
    {
        if (token is null) return fallback;
        return TokenToId(token) ?? throw new TokenizerLoadException(file, field, $"token '{token}' is not in the vocabulary or added tokens of {Source}.");
    }

    private HfPostProcessor ChoosePostProcessor(HfPostProcessor fromJson, HfTokenizerConfig config)
    {
        // transformers' Llama/Gemma tokenizers rebuild the template from add_bos_token / add_eos_token.
        var llamaStyle = config.TokenizerClass is { } cls && (cls.StartsWith("Llama", StringComparison.Ordinal) || cls.StartsWith("CodeLlama", StringComparison.Ordinal) || cls.StartsWith("Gemma", StringComparison.Ordinal));
        if (!llamaStyle || (config.AddBosToken is null && config.AddEosToken is null)) return fromJson;
        int[] prefix = config.AddBosToken == true && BosTokenId is { } bos ? [bos] : [];
        var eosId = config.EosToken is null ? null : TokenToId(config.EosToken);
        int[] suffix = config.AddEosToken == true && eosId is { } eos ? [eos] : [];
        return HfPostProcessor.Wrap(prefix, suffix);
    }

    private static string CleanUpTokenization(string text)
    {
        if (text.IndexOf(' ') < 0) return text;
        var sb = new StringBuilder(text);
        sb.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
          .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re");
        return sb.ToString();
    }
}
