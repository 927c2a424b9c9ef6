using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>SentencePiece-style BPE described with a Metaspace pre-tokenizer and decoder (Mistral / newer Llama exports).</summary>
[TestFixture]
public sealed class MetaspaceTokenizerTests
{
    private static JsonObject MetaspaceJson(string prependScheme, bool split)
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2, ["▁"] = 3, ["a"] = 4, ["b"] = 5, ["▁a"] = 6, ["▁b"] = 7, ["<0x21>"] = 8 };
        return new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 1, ["content"] = "<s>", ["special"] = true },
                new JsonObject { ["id"] = 2, ["content"] = "</s>", ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = prependScheme, ["split"] = split },
            ["post_processor"] = JsonNode.Parse("""{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}}"""),
            ["decoder"] = JsonNode.Parse("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}]}"""),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = true,
                ["vocab"] = vocab, ["merges"] = new JsonArray("▁ a", "▁ b"),
            },
        };
    }

    [TestCase(true)]
    [TestCase(false)]
    public void EncodesDecodesWithPrependAndByteFallback(bool split)
    {
        using var files = new TinyTokenizerFiles().Write(MetaspaceJson("always", split));
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("a b!", addSpecialTokens: true), Is.EqualTo(new[] { 1, 6, 7, 8 }));
        Assert.That(tok.Decode([1, 6, 7, 8], skipSpecialTokens: true), Is.EqualTo("a b!"));
        // 'c' is neither in the vocabulary nor a byte token we have: fused unknowns.
        Assert.That(tok.Encode("acc"), Is.EqualTo(new[] { 6, 0 }));
    }

    [Test]
    public void PrependSchemeFirst_OnlyPrependsAtTheStartOfTheText()
    {
        using var files = new TinyTokenizerFiles().Write(MetaspaceJson("first", split: true));
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("a</s>a"), Is.EqualTo(new[] { 6, 2, 4 }));
    }
}
