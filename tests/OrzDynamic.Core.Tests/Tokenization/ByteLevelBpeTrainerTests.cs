using OrzDynamic.Trainer.Tokenization;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Training a tiny byte-level BPE, writing it as Hugging Face files and reading it back.</summary>
[TestFixture]
public sealed class ByteLevelBpeTrainerTests
{
    private static readonly string[] Specials = ["<|endoftext|>", "<think>", "</think>", "<answer>", "</answer>"];

    internal static IEnumerable<string> Corpus()
    {
        var rng = new Random(1234);
        string[] subjects = ["the triangle", "a number", "the sum of the digits", "the probability", "the integer", "a circle"];
        string[] verbs = ["equals", "is greater than", "divides", "is less than", "is congruent to"];
        for (var i = 0; i < 400; i++)
        {
            var a = rng.Next(1, 1000);
            var b = rng.Next(1, 100);
            yield return $"Let {subjects[rng.Next(subjects.Length)]} be such that {a} {verbs[rng.Next(verbs.Length)]} {b}. " +
                         $"<think> We compute {a} + {b} = {a + b} and {a} * {b} = {a * b}. </think> <answer> \\boxed{{{a + b}}} </answer><|endoftext|>";
        }
        yield return "Ünïcödé café naïve — 数学题 🙂🚀 \t tabs\nnewlines\r\n";
    }

    private static ByteLevelBpeTrainerOptions Options(int vocabSize = 400) => new()
    {
        VocabSize = vocabSize,
        SpecialTokens = Specials,
    };

    [Test]
    public void TrainedTokenizer_RoundTripsArbitraryText()
    {
        var trained = new ByteLevelBpeTrainer(Options()).Train(Corpus());
        using var files = new TinyTokenizerFiles();
        trained.Save(files.Directory);
        var tok = HfTokenizer.FromDirectory(files.Directory);

        string[] texts =
        [
            "", " ", "Let the triangle be such that 12 divides 4.", "  leading and trailing  ", "tabs\tand\nnewlines\r\n\n\nmulti",
            "emoji 🙂🚀 and CJK 数学题 and accents café naïve Ünïcödé", "e\u0301 (not NFC) and \u00e9", "𝑥 + 𝑦 = 𝑧 in 𠀀 plane", "\u0000\u0001\u007f\u0085\u00a0\u2028",
            "<think> reasoning </think> <answer> \\boxed{7} </answer><|endoftext|>", "<thinkx> partial <|endoftext", "\uFFFD replacement",
        ];
        foreach (var text in texts)
        {
            var ids = tok.Encode(text);
            Assert.That(ids.All(id => id >= 0 && id < tok.VocabSize), Is.True, text);
            Assert.That(tok.Decode(ids), Is.EqualTo(text), $"round trip of {text}");
        }
        var random = new Random(7);
        for (var k = 0; k < 200; k++)
        {
            var text = RandomText(random);
            Assert.That(tok.Decode(tok.Encode(text)), Is.EqualTo(text), $"round trip of random text #{k}");
        }
    }

    [Test]
    public void TrainedTokenizer_HasRequestedSizeSpecialsAndConfig()
    {
        var trained = new ByteLevelBpeTrainer(Options(340)).Train(Corpus());
        Assert.That(trained.VocabSize, Is.EqualTo(340));
        Assert.That(trained.Merges, Has.Count.GreaterThanOrEqualTo(340 - 256 - Specials.Length));
        using var files = new TinyTokenizerFiles();
        trained.Save(files.Directory);
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.Multiple(() =>
        {
            Assert.That(tok.VocabSize, Is.EqualTo(340));
            Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { tok.TokenToId("<|endoftext|>")!.Value }));
            Assert.That(tok.PadTokenId, Is.EqualTo(tok.TokenToId("<|endoftext|>")));
            Assert.That(tok.BosToken, Is.Null);
            Assert.That(tok.Encode("<think></think>"), Is.EqualTo(new[] { tok.TokenToId("<think>")!.Value, tok.TokenToId("</think>")!.Value }));
            Assert.That(tok.AddedTokens.Select(t => t.Content), Is.EqualTo(Specials));
        });
        // Frequent words became single tokens and the corpus is compressed well below one token per byte.
        var sample = "Let the triangle be such that 12 divides 4.";
        Assert.That(tok.Encode(sample).Count, Is.LessThan(sample.Length / 2));
        Assert.That(tok.Encode(" such"), Has.Count.EqualTo(1), string.Join(" | ", trained.Merges.Select(m => m.Left + m.Right)));
    }

    [Test]
    public void Training_StopsWhenNoPairIsFrequentEnough()
    {
        var trained = new ByteLevelBpeTrainer(Options(5000)).Train(Corpus());
        Assert.That(trained.VocabSize, Is.LessThan(5000));
        Assert.That(trained.VocabSize, Is.GreaterThan(300));
    }

    [Test]
    public void NonSpecialTokens_SurviveSkipSpecialTokens()
    {
        var options = Options() with { SpecialTokens = ["<|endoftext|>"], NonSpecialTokens = ["<think>", "</think>"] };
        var trained = new ByteLevelBpeTrainer(options).Train(Corpus());
        using var files = new TinyTokenizerFiles();
        trained.Save(files.Directory);
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Decode(tok.Encode("<think>a</think><|endoftext|>"), skipSpecialTokens: true), Is.EqualTo("<think>a</think>"));
    }

    [Test]
    public void Training_IsDeterministic()
    {
        var first = new ByteLevelBpeTrainer(Options()).Train(Corpus());
        var second = new ByteLevelBpeTrainer(Options()).Train(Corpus());
        Assert.That(second.ToTokenizerJson(), Is.EqualTo(first.ToTokenizerJson()));
        Assert.That(second.ToTokenizerConfigJson(), Is.EqualTo(first.ToTokenizerConfigJson()));
    }

    [Test]
    public void LibraryBpe_AgreesWithReferenceMergeLoop()
    {
        // The byte-level path runs Microsoft.ML.Tokenizers' BPE; the byte-fallback path runs our own merge loop.
        // On byte-level words both must give the same ids.
        var trained = new ByteLevelBpeTrainer(Options(600)).Train(Corpus());
        var vocabDict = trained.Tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var library = new ByteLevelBpeModel(new VocabularyTable(vocabDict, "test"), trained.Merges, ignoreMerges: false, "test");
        var reference = new ByteFallbackBpeModel(new VocabularyTable(new Dictionary<string, int>(vocabDict), "test"), trained.Merges, byteFallback: false, unkToken: null, fuseUnk: false, "test");
        var pre = HfPreTokenizer.FromJson(ByteLevelBpeTrainer.PreTokenizerJson(ByteLevelBpeTrainerOptions.QwenPattern), "trainer options");
        var ranges = new List<(int Offset, int Length)>();
        int words = 0;
        foreach (var text in Corpus().Take(100).Append("#include ## ### 12345 aaaaaaaaaaaa"))
        {
            ranges.Clear();
            pre.Split(text, ranges);
            foreach (var (offset, length) in ranges)
            {
                var word = text.Substring(offset, length);
                var a = new List<int>();
                var b = new List<int>();
                library.EncodeWord(word, a);
                reference.EncodeWord(ByteLevelAlphabet.Encode(word), b);
                Assert.That(a, Is.EqualTo(b), $"word {word}");
                words++;
            }
        }
        Assert.That(words, Is.GreaterThan(100), "the pre-tokenizer split the texts into words");
    }

    [Test]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 200 }));
        Assert.Throws<ArgumentException>(() => new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { SpecialTokens = ["<a>", "<a>"] }));
        Assert.Throws<ArgumentException>(() => new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { EosToken = "<nope>" }));
    }

    [Test]
    public void Training_HonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new ByteLevelBpeTrainer(Options()).Train(Corpus(), cancellationToken: cts.Token));
    }

    private static string RandomText(Random random)
    {
        var length = random.Next(0, 40);
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var kind = random.Next(6);
            var value = kind switch
            {
                0 => random.Next(0x20, 0x7F),
                1 => random.Next(0, 0x20),
                2 => random.Next(0xA0, 0x2000),
                3 => random.Next(0x3000, 0xD7FF),
                4 => random.Next(0x10000, 0x10FFFF),
                _ => " \n\t"[random.Next(3)],
            };
            sb.Append(char.ConvertFromUtf32(value));
        }
        return sb.ToString();
    }
}
