using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Templates;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Templates;

public class PromptTemplateTests
{
    [Test]
    public void ReproducesPythonRenderedPromptsByteForByte()
    {
        var reference = SharedData.PathOrIgnore("reference/prompts/orz_template.jsonl");
        var dataDir = SharedData.PathOrIgnore("data/eval_data");
        var loaded = new Dictionary<string, IReadOnlyList<EvalSample>>();
        int compared = 0;
        foreach (var line in File.ReadLines(reference))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var file = r.GetProperty("file").GetString()!;
            var index = r.GetProperty("index").GetInt32();
            var bos = r.GetProperty("bos_token").GetString()!;
            var expected = r.GetProperty("prompt").GetString()!;
            if (!loaded.TryGetValue(file, out var samples))
                loaded[file] = samples = new EvalDataLoader().Load([Path.Combine(dataDir, file)]).Samples;
            var sample = samples.Single(s => s.Index == index);
            var rendered = PromptTemplate.Orz.Render(sample.Question, bos);
            Assert.That(System.Text.Encoding.UTF8.GetBytes(rendered), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(expected)),
                $"{file} #{index} bos='{bos}'");
            compared++;
        }
        Assert.That(compared, Is.EqualTo(24));
    }

    [Test]
    public void OrzTemplateHasOneNewlineBeforeAssistantAndNothingAfterThink()
    {
        var p = PromptTemplate.Orz.Render("Q?", (string?)null);
        Assert.That(p, Does.EndWith("This is the problem:\nQ?\nAssistant: <think>"));
        Assert.That(p, Does.StartWith("A conversation between User and Assistant."));
        Assert.That(PromptTemplate.Orz.Render("Q?", "<s>"), Does.StartWith("<s>A conversation"));
    }

    [Test]
    public void CustomTemplateSubstitutesPlaceholdersOnce()
    {
        var t = PromptTemplate.FromText("{bos_token}Q: {prompt}\nA:");
        Assert.That(t.Render("what is {bos_token} and {prompt}?", "<s>"), Is.EqualTo("<s>Q: what is {bos_token} and {prompt}?\nA:"));
        Assert.That(t.Render("x", new TestSupport.WordTokenizer("<bos>")), Is.EqualTo("<bos>Q: x\nA:"));
    }

    [Test]
    public void CustomTemplateWithoutPromptPlaceholderIsRejected()
    {
        Assert.That(() => PromptTemplate.FromText("no placeholder {bos_token}"), Throws.ArgumentException.With.Message.Contains("{prompt}"));
    }
}
