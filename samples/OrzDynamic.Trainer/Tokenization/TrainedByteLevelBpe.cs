using OrzDynamic.Core.Tokenization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrzDynamic.Trainer.Tokenization;

/// <summary>The result of <see cref="ByteLevelBpeTrainer"/>: vocabulary, merges and added tokens, writable as Hugging Face files.</summary>
public sealed class TrainedByteLevelBpe
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ByteLevelBpeTrainerOptions _options;
    private readonly List<string> _tokens;

    internal TrainedByteLevelBpe(ByteLevelBpeTrainerOptions options, List<string> tokens, List<(string Left, string Right)> merges, List<AddedToken> addedTokens)
    {
        _options = options;
        _tokens = tokens;
        Merges = merges;
        AddedTokens = addedTokens;
    }

    /// <summary>Model tokens in id order (byte-level strings; ids 0..255 are the single bytes).</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Learned merges, highest priority first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>Added tokens (special ones first), with ids after the model tokens.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Total number of ids (model tokens plus added tokens).</summary>
    public int VocabSize => _tokens.Count + AddedTokens.Count;

    /// <summary>The eos token text (option, else the first special token, else null).</summary>
    public string? EosToken => _options.EosToken ?? _options.SpecialTokens.FirstOrDefault();

    /// <summary>The tokenizer.json text.</summary>
    public string ToTokenizerJson()
    {
        var vocab = new JsonObject();
        for (var i = 0; i < _tokens.Count; i++) vocab[_tokens[i]] = i;
        var merges = new JsonArray();
        foreach (var (left, right) in Merges) merges.Add(new JsonArray(left, right));
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(AddedTokens.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id, ["content"] = t.Content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = t.Special,
            }).ToArray()),
            ["normalizer"] = _options.NfcNormalizer ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = PreTokenizerNode(_options.PreTokenizerPattern),
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        return root.ToJsonString(WriteOptions);
    }

    /// <summary>The tokenizer_config.json text (bos/eos/pad, added_tokens_decoder, flags).</summary>
    public string ToTokenizerConfigJson()
    {
        var decoder = new JsonObject();
        foreach (var t in AddedTokens)
            decoder[t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = t.Content, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false, ["single_word"] = false, ["special"] = t.Special,
            };
        var eos = EosToken;
        var root = new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = decoder,
            ["bos_token"] = _options.BosToken,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = eos,
            ["errors"] = "replace",
            ["model_max_length"] = _options.ModelMaxLength,
            ["pad_token"] = _options.PadToken ?? eos,
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["unk_token"] = null,
        };
        if (_options.ChatTemplate is not null) root["chat_template"] = _options.ChatTemplate;
        return root.ToJsonString(WriteOptions);
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/> (created if needed).</summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, HfTokenizer.TokenizerFileName), ToTokenizerJson());
        File.WriteAllText(Path.Combine(directory, HfTokenizer.TokenizerConfigFileName), ToTokenizerConfigJson());
    }

    internal static JsonObject PreTokenizerNode(string pattern) => new()
    {
        ["type"] = "Sequence",
        ["pretokenizers"] = new JsonArray(
            new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = "Isolated", ["invert"] = false },
            new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
    };
}
