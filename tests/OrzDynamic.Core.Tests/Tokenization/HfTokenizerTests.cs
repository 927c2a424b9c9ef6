using NUnit.Framework;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Behaviour of <see cref="HfTokenizer"/> on the real shared tokenizers.</summary>
[TestFixture]
public sealed class HfTokenizerTests
{
    [Test]
    public void Qwen3_SpecialTokensInsideTextAreMatchedWhole()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("<|im_start|>user\nhi<|im_end|>");
        Assert.That(ids[0], Is.EqualTo(151644));
        Assert.That(ids[^1], Is.EqualTo(151645));
        Assert.That(tok.Encode("<think>x</think>"), Is.EqualTo(new[] { 151667, tok.TokenToId("x")!.Value, 151668 }));
        // A near miss is ordinary text.
        Assert.That(tok.Encode("<|im_start"), Does.Not.Contain(151644));
    }

    [Test]
    public void Qwen3_DecodeSkipsOnlySpecialAddedTokens()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("<|im_start|>assistant\n<think>ok</think> 7<|im_end|>");
        Assert.That(tok.Decode(ids, skipSpecialTokens: false), Is.EqualTo("<|im_start|>assistant\n<think>ok</think> 7<|im_end|>"));
        // <think> is an added but non-special token in Qwen3, so it stays.
        Assert.That(tok.Decode(ids, skipSpecialTokens: true), Is.EqualTo("assistant\n<think>ok</think> 7"));
    }

    [Test]
    public void Qwen3_ConfigTokens()
    {
        var tok = SharedTokenizers.Get("qwen3");
        Assert.Multiple(() =>
        {
            Assert.That(tok.BosToken, Is.Null);
            Assert.That(tok.BosTokenId, Is.Null);
            Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { 151645 }));
            Assert.That(tok.PadTokenId, Is.EqualTo(151643));
            Assert.That(tok.VocabSize, Is.EqualTo(151669));
            Assert.That(tok.IsByteLevel, Is.True);
            Assert.That(tok.TokenToId("Ġ#"), Is.EqualTo(671));
            Assert.That(tok.IdToToken(671), Is.EqualTo("Ġ#"));
            Assert.That(tok.IdToToken(10_000_000), Is.Null);
            Assert.That(tok.TokenToId("no-such-token-xyz"), Is.Null);
        });
    }

    [Test]
    public void Llama3_ConfigTokensAndCleanUp()
    {
        var tok = SharedTokenizers.Get("llama3");
        Assert.Multiple(() =>
        {
            Assert.That(tok.BosToken, Is.EqualTo("<|begin_of_text|>"));
            Assert.That(tok.BosTokenId, Is.EqualTo(128000));
            Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { 128001 }));
            Assert.That(tok.PadTokenId, Is.Null);
            Assert.That(tok.Config.CleanUpTokenizationSpaces, Is.True);
        });
        var ids = tok.Encode("a , b .");
        Assert.That(tok.Decode(ids), Is.EqualTo("a, b."));
        Assert.That(tok.Decode(ids, skipSpecialTokens: false, cleanUpTokenizationSpaces: false), Is.EqualTo("a , b ."));
    }

    [Test]
    public void Llama2_AddsBosOnlyWithSpecialTokens()
    {
        var tok = SharedTokenizers.Get("llama2");
        IPromptTokenizer prompt = tok;
        var plain = prompt.Encode("Hello");
        var withSpecial = tok.Encode("Hello", addSpecialTokens: true);
        Assert.That(withSpecial[0], Is.EqualTo(1));
        Assert.That(withSpecial.Skip(1), Is.EqualTo(plain));
        Assert.That(prompt.BosToken, Is.EqualTo("<s>"));
        Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { 2 }));
        Assert.That(tok.IsByteLevel, Is.False);
        Assert.That(tok.Decode(withSpecial, skipSpecialTokens: true), Is.EqualTo("Hello"));
    }

    [Test]
    public void Llama2_ByteFallbackRoundTripsUnknownCharacters()
    {
        var tok = SharedTokenizers.Get("llama2");
        const string text = "𝔘𝔫𝔦 ∮ ☃ \u0001 ꙮ";
        var ids = tok.Encode(text);
        Assert.That(ids.Any(id => tok.IdToToken(id)!.StartsWith("<0x", StringComparison.Ordinal)), Is.True);
        Assert.That(tok.Decode(ids, skipSpecialTokens: true), Is.EqualTo(text));
    }

    [TestCase("qwen3")]
    [TestCase("llama3")]
    public void ByteLevel_RoundTripsSupplementaryPlaneText(string name)
    {
        var tok = SharedTokenizers.Get(name);
        foreach (var text in new[] { "🙂abc", "a𝑥b+𝑦=2", "x🚀🚀y 𠀀𠀁 z", "\U0001F600\U0001F601!", "tab\t🙂\n" })
        {
            var ids = tok.Encode(text);
            Assert.That(tok.Decode(ids, skipSpecialTokens: true, cleanUpTokenizationSpaces: false), Is.EqualTo(text), $"round trip of {text}");
        }
    }

    [Test]
    public void Qwen3_WordsThatStartWithHashAreMerged()
    {
        var tok = SharedTokenizers.Get("qwen3");
        Assert.That(tok.Encode("#include"), Is.EqualTo(new[] { 1067 }));
        Assert.That(tok.Encode("####"), Is.EqualTo(new[] { 820 }));
    }

    [Test]
    public void EncodeIsThreadSafe()
    {
        var tok = SharedTokenizers.Get("qwen3");
        const string text = "Let $x$ be the smallest positive integer such that 2x + 3 = 17. 数学 🙂";
        var expected = tok.Encode(text);
        Parallel.For(0, 64, _ => Assert.That(tok.Encode(text), Is.EqualTo(expected)));
    }
}
