using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Tests;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>
/// Cross-checks the Microsoft.ML.Tokenizers byte-level BPE (used by HfTokenizer) against an independent merge loop
/// (<see cref="ByteFallbackBpeModel"/> run on byte-level strings) over every word of the math500 prompts.
/// </summary>
[TestFixture]
public sealed class LibraryBpeCrossCheckTests
{
    [TestCase("qwen3")]
    [TestCase("llama3")]
    public void EveryMath500Word_EncodesLikeTheReferenceMergeLoop(string name)
    {
        var dir = SharedTokenizers.Directory(name);
        var promptsPath = SharedData.PathOrIgnore(Path.Combine("data", "eval_data", "math500.json"));
        var tokenizer = SharedTokenizers.Get(name);

        var file = Path.Combine(dir, "tokenizer.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var model = doc.RootElement.GetProperty("model");
        var vocab = TokenizerJsonLoader.ReadVocab(model, file);
        var ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        var reference = new ByteFallbackBpeModel(new VocabularyTable(vocab, file), TokenizerJsonLoader.ReadMerges(model, file), byteFallback: false, unkToken: null, fuseUnk: false, file);
        var preTokenizer = HfPreTokenizer.FromJson(doc.RootElement.GetProperty("pre_tokenizer").Clone(), file);

        using var prompts = JsonDocument.Parse(File.ReadAllText(promptsPath));
        int words = 0, mismatches = 0;
        string? firstMismatch = null;
        var ranges = new List<(int Offset, int Length)>();
        foreach (var record in prompts.RootElement.EnumerateArray())
        {
            var text = record.GetProperty("prompt")[0].GetProperty("value").GetString()!.Normalize(System.Text.NormalizationForm.FormC);
            ranges.Clear();
            preTokenizer.Split(text, ranges);
            var expected = new List<int>();
            foreach (var (offset, length) in ranges)
            {
                words++;
                var byteLevel = ByteLevelAlphabet.Encode(text.AsSpan(offset, length));
                if (ignoreMerges && vocab.TryGetValue(byteLevel, out var whole)) expected.Add(whole);
                else reference.EncodeWord(byteLevel, expected);
            }
            var actual = tokenizer.Encode(text);
            if (!actual.SequenceEqual(expected))
            {
                mismatches++;
                firstMismatch ??= text.Length > 80 ? text[..80] : text;
            }
        }
        TestContext.Out.WriteLine($"{name}: {words} words in math500 prompts, {mismatches} prompts differ");
        Assert.That(mismatches, Is.Zero, $"first differing prompt: {firstMismatch}");
    }
}
