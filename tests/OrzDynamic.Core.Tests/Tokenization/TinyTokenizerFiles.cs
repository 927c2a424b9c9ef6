using System.Text.Json.Nodes;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Writes small hand-made tokenizer directories into a temporary folder.</summary>
internal sealed class TinyTokenizerFiles : IDisposable
{
    public TinyTokenizerFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "orz-tok-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string TokenizerJsonPath => Path.Combine(Directory, "tokenizer.json");

    /// <summary>A byte-level BPE with the 256 byte tokens (id = byte), merges h+e, l+l, he+ll and two added tokens.</summary>
    public static JsonObject ByteLevelJson()
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteLevelAlphabet.ByteToChar((byte)b).ToString()] = b;
        vocab["he"] = 256;
        vocab["ll"] = 257;
        vocab["hell"] = 258;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 259, ["content"] = "<|eot|>", ["special"] = true, ["lstrip"] = false, ["rstrip"] = false, ["single_word"] = false, ["normalized"] = false },
                new JsonObject { ["id"] = 260, ["content"] = "<mask>", ["special"] = false, ["lstrip"] = true, ["rstrip"] = true, ["single_word"] = false, ["normalized"] = false }),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true,
            },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel" },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("h e", new JsonArray("l", "l"), "he ll"),
            },
        };
    }

    public TinyTokenizerFiles Write(JsonNode tokenizerJson, string? tokenizerConfig = null, string? generationConfig = null)
    {
        File.WriteAllText(TokenizerJsonPath, tokenizerJson.ToJsonString());
        if (tokenizerConfig is not null) File.WriteAllText(Path.Combine(Directory, "tokenizer_config.json"), tokenizerConfig);
        if (generationConfig is not null) File.WriteAllText(Path.Combine(Directory, "generation_config.json"), generationConfig);
        return this;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
