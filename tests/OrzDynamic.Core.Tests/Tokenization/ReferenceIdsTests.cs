using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>
/// Every line of shared/tokenizers/*/reference_ids.jsonl (transformers.js, add_special_tokens=true) must be
/// reproduced exactly: the ids, and the decoded text (special tokens kept).
/// </summary>
[TestFixture]
public sealed class ReferenceIdsTests
{
    private sealed record ReferenceLine(string Text, int[] Ids, string Decoded);

    [TestCase("qwen3")]
    [TestCase("llama3")]
    [TestCase("llama2")]
    public void EncodesAndDecodesEveryReferenceLine(string name)
    {
        var tokenizer = SharedTokenizers.Get(name);
        var lines = ReadReference(Path.Combine(SharedTokenizers.Directory(name), "reference_ids.jsonl"));
        Assert.That(lines, Is.Not.Empty);

        var encodeFailures = new List<string>();
        var decodeFailures = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var ids = tokenizer.Encode(line.Text, addSpecialTokens: true);
            if (!ids.SequenceEqual(line.Ids)) encodeFailures.Add(DescribeEncodeFailure(i + 1, line, ids));
            var decoded = tokenizer.Decode(line.Ids, skipSpecialTokens: false);
            if (decoded != line.Decoded) decodeFailures.Add($"line {i + 1}: decode({Show(line.Text)}) = {Show(decoded)}, expected {Show(line.Decoded)}");
        }

        var report = new StringBuilder()
            .AppendLine($"{name}: encode matches {lines.Count - encodeFailures.Count}/{lines.Count} lines, decode matches {lines.Count - decodeFailures.Count}/{lines.Count} lines.");
        foreach (var failure in encodeFailures.Concat(decodeFailures).Take(8)) report.AppendLine(failure);
        TestContext.Out.WriteLine(report.ToString());
        Assert.That(encodeFailures.Count + decodeFailures.Count, Is.Zero, report.ToString());
    }

    private static List<ReferenceLine> ReadReference(string path)
    {
        var result = new List<ReferenceLine>();
        foreach (var raw in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(raw)) continue;
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            result.Add(new ReferenceLine(
                root.GetProperty("text").GetString()!,
                root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("decoded").GetString()!));
        }
        return result;
    }

    private static string DescribeEncodeFailure(int lineNumber, ReferenceLine line, IReadOnlyList<int> actual)
    {
        var firstDiff = 0;
        while (firstDiff < actual.Count && firstDiff < line.Ids.Length && actual[firstDiff] == line.Ids[firstDiff]) firstDiff++;
        string Window(IEnumerable<int> ids) => string.Join(",", ids.Skip(Math.Max(0, firstDiff - 2)).Take(8));
        return $"line {lineNumber}: encode({Show(line.Text)}) differs at token {firstDiff} (got {actual.Count} ids, expected {line.Ids.Length}): got [..{Window(actual)}..], expected [..{Window(line.Ids)}..]";
    }

    private static string Show(string s)
    {
        var shown = s.Length > 70 ? s[..70] + "…" : s;
        return JsonSerializer.Serialize(shown);
    }
}
