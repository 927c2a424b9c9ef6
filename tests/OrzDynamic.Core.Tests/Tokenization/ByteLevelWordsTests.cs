using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>The word counts a byte-level BPE trainer learns from (<see cref="HfTokenizer.CountByteLevelWords"/>).</summary>
[TestFixture]
public sealed class ByteLevelWordsTests
{
    private const string PreTokenizer = """
        {"type":"Sequence","pretokenizers":[
          {"type":"Split","pattern":{"Regex":" ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+"},"behavior":"Isolated","invert":false},
          {"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false}]}
        """;

    private static readonly AddedToken[] Added = [new AddedToken(-1, "<|endoftext|>", Special: true)];

    private static IReadOnlyDictionary<string, long> Count(bool nfc, params string?[] corpus)
    {
        using var doc = JsonDocument.Parse(PreTokenizer);
        return HfTokenizer.CountByteLevelWords(corpus, doc.RootElement, Added, nfc);
    }

    [Test]
    public void AddedTokensAreCutOutAndWordsCarryTheByteLevelSpace()
    {
        var counts = Count(false, "hi hi<|endoftext|>hi", null, "");
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, long> { ["hi"] = 2, ["\u0120hi"] = 1 }),
            "'<|endoftext|>' is not counted; the space before a word is the byte-level 'Ġ'");
    }

    [Test]
    public void NfcJoinsACombiningAccentBeforeSplitting()
    {
        const string decomposed = "cafe\u0301";
        var cafeUtf8 = string.Concat("café"u8.ToArray().Select(HfTokenizer.ByteLevelCharacter));
        Assert.That(Count(true, decomposed), Is.EquivalentTo(new Dictionary<string, long> { [cafeUtf8] = 1 }));
        Assert.That(Count(false, decomposed).ContainsKey(cafeUtf8), Is.False, "without NFC the accent stays a separate code point");
    }

    [Test]
    public void ByteLevelCharactersFollowTheGpt2Alphabet()
    {
        Assert.That(HfTokenizer.ByteLevelCharacter((byte)'a'), Is.EqualTo('a'));
        Assert.That(HfTokenizer.ByteLevelCharacter((byte)' '), Is.EqualTo('\u0120'));
        Assert.That(Enumerable.Range(0, 256).Select(b => HfTokenizer.ByteLevelCharacter((byte)b)).Distinct().Count(), Is.EqualTo(256));
    }

    [Test]
    public void CancellationStopsBetweenTexts()
    {
        using var doc = JsonDocument.Parse(PreTokenizer);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => HfTokenizer.CountByteLevelWords(["a"], doc.RootElement, Added, false, cts.Token));
    }
}
