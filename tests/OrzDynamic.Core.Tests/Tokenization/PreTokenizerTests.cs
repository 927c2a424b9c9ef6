using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Hugging Face pre-tokenizer semantics implemented over Microsoft.ML.Tokenizers' PreTokenizer.</summary>
[TestFixture]
public sealed class PreTokenizerTests
{
    private const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static HfPreTokenizer Split(string pattern, string behavior, bool invert = false)
    {
        var json = JsonSerializer.Serialize(new { type = "Split", pattern = new { Regex = pattern }, behavior, invert });
        using var doc = JsonDocument.Parse(json);
        return HfPreTokenizer.FromJson(doc.RootElement.Clone(), "test.json");
    }

    private static string[] Words(HfPreTokenizer pre, string text)
    {
        var ranges = new List<(int Offset, int Length)>();
        pre.Split(text, ranges);
        return ranges.Select(r => text.Substring(r.Offset, r.Length)).ToArray();
    }

    [Test]
    public void QwenPattern_SplitsLikeHuggingFace()
    {
        var pre = Split(QwenPattern, "Isolated");
        Assert.That(Words(pre, "Hello, world's 123  end\n\n"), Is.EqualTo(new[] { "Hello", ",", " world", "'s", " ", "1", "2", "3", " ", " end", "\n\n" }));
    }

    [Test]
    public void QwenPattern_MatchesCodePointsNotSurrogates()
    {
        var pre = Split(QwenPattern, "Isolated");
        // 𝑥 (U+1D465) is a letter: one word. 🙂 is a symbol and may prefix a letter run, as in the Rust/JS engines.
        Assert.That(Words(pre, "a𝑥b"), Is.EqualTo(new[] { "a𝑥b" }));
        Assert.That(Words(pre, "🙂abc"), Is.EqualTo(new[] { "🙂abc" }));
        Assert.That(Words(pre, "x 🙂🚀!"), Is.EqualTo(new[] { "x", " 🙂🚀!" }));
    }

    [TestCase("Isolated", new[] { "a", "-", "b", "-", "-", "c" })]
    [TestCase("Removed", new[] { "a", "b", "c" })]
    [TestCase("MergedWithPrevious", new[] { "a-", "b-", "-", "c" })]
    [TestCase("MergedWithNext", new[] { "a", "-b", "-", "-c" })]
    [TestCase("Contiguous", new[] { "a", "-", "b", "--", "c" })]
    public void SplitBehaviours(string behavior, string[] expected)
    {
        Assert.That(Words(Split("-", behavior), "a-b--c"), Is.EqualTo(expected));
    }

    [Test]
    public void InvertKeepsTheGapsAsMatches()
    {
        Assert.That(Words(Split(@"\s+", "Removed", invert: true), "a b  c"), Is.EqualTo(new[] { " ", "  " }));
    }

    [Test]
    public void UnknownPreTokenizerTypeIsNotSupported()
    {
        using var doc = JsonDocument.Parse("""{"type":"BertPreTokenizer"}""");
        var ex = Assert.Throws<NotSupportedException>(() => HfPreTokenizer.FromJson(doc.RootElement.Clone(), "t.json"));
        Assert.That(ex!.Message, Does.Contain("BertPreTokenizer"));
    }
}
