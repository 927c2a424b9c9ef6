using System.Runtime.CompilerServices;
using System.Text.Json;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>
/// Extra hard cases (supplementary-plane letters and digits, emoji before letters, ZWJ sequences, odd whitespace,
/// RTL/CJK scripts, combining marks) encoded with add_special_tokens by transformers.js (@lenml/tokenizers 3.7.2)
/// from the shared tokenizer files; stored in Fixtures/hard_cases_transformersjs.json.
/// </summary>
[TestFixture]
public sealed class HardCasesTests
{
    private static string FixturePath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "hard_cases_transformersjs.json");

    [TestCase("qwen3")]
    [TestCase("llama3")]
    [TestCase("llama2")]
    public void HardCases_MatchTransformersJs(string name)
    {
        var tok = SharedTokenizers.Get(name);
        if (!File.Exists(FixturePath())) Assert.Ignore($"fixture not found: {FixturePath()}");
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath()));
        var cases = doc.RootElement.GetProperty(name).EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var ids = c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var actual = tok.Encode(text, addSpecialTokens: true);
            if (!actual.SequenceEqual(ids))
                failures.Add($"encode({JsonSerializer.Serialize(text)}) = [{string.Join(",", actual)}], expected [{string.Join(",", ids)}]");
            var decoded = c.GetProperty("decoded").GetString()!;
            var actualDecoded = tok.Decode(ids);
            if (actualDecoded != decoded)
                failures.Add($"decode for {JsonSerializer.Serialize(text)} = {JsonSerializer.Serialize(actualDecoded)}, expected {JsonSerializer.Serialize(decoded)}");
        }
        Assert.That(failures, Is.Empty, $"{name}: {cases.Count * 2 - failures.Count}/{cases.Count * 2} checks match:\n" + string.Join("\n", failures.Take(10)));
    }
}
