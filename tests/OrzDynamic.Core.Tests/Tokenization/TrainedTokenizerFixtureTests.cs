using OrzDynamic.Trainer.Tokenization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>
/// Fixtures/trained400 holds a tokenizer written by <see cref="ByteLevelBpeTrainer"/> (the corpus and options of
/// <see cref="ByteLevelBpeTrainerTests"/>) and reference_ids_transformersjs.jsonl: the same texts encoded
/// (add_special_tokens) and decoded by transformers.js (@lenml/tokenizers 3.7.2) from those files. This shows that an
/// independent implementation reads the files we write exactly as we do.
/// </summary>
[TestFixture]
public sealed class TrainedTokenizerFixtureTests
{
    private static string FixtureDir([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "trained400");

    [Test]
    public void WrittenTokenizer_EncodesLikeTransformersJs()
    {
        var dir = FixtureDir();
        if (!Directory.Exists(dir)) Assert.Ignore($"fixture folder not found: {dir}");
        var tok = HfTokenizer.FromDirectory(dir);
        var lines = File.ReadLines(Path.Combine(dir, "reference_ids_transformersjs.jsonl")).Where(l => l.Length > 0).ToList();
        var failures = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var text = doc.RootElement.GetProperty("text").GetString()!;
            var ids = doc.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var decoded = doc.RootElement.GetProperty("decoded").GetString()!;
            var actual = tok.Encode(text, addSpecialTokens: true);
            if (!actual.SequenceEqual(ids)) failures.Add($"line {i + 1}: encode({JsonSerializer.Serialize(text)}) = [{string.Join(",", actual)}], expected [{string.Join(",", ids)}]");
            if (tok.Decode(ids) != decoded) failures.Add($"line {i + 1}: decode differs for {JsonSerializer.Serialize(text)}");
        }
        Assert.That(failures, Is.Empty, $"{lines.Count - failures.Count}/{lines.Count} checks match; first: {failures.FirstOrDefault()}");
    }

    [Test]
    public void Training_ReproducesTheFixtureFiles()
    {
        var dir = FixtureDir();
        if (!Directory.Exists(dir)) Assert.Ignore($"fixture folder not found: {dir}");
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions
        {
            VocabSize = 400,
            SpecialTokens = ["<|endoftext|>", "<think>", "</think>", "<answer>", "</answer>"],
        }).Train(ByteLevelBpeTrainerTests.Corpus());
        Assert.That(trained.ToTokenizerJson(), Is.EqualTo(File.ReadAllText(Path.Combine(dir, "tokenizer.json"))),
            "trainer output changed: if intended, regenerate Fixtures/trained400 and its transformers.js reference");
        Assert.That(trained.ToTokenizerConfigJson(), Is.EqualTo(File.ReadAllText(Path.Combine(dir, "tokenizer_config.json"))));
    }
}
