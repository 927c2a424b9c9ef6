using System.Runtime.CompilerServices;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization.ChatTemplates;

/// <summary>
/// Every case of Fixtures/chat_template_cases.json (made by tests/chat-templates/generate.mjs with @huggingface/jinja,
/// the engine of transformers.js): real templates (Qwen3, Llama 3, Llama 3.1, DeepSeek V3, Gemma 3) over system prompts,
/// multi-turn chats, reasoning in history, unicode and Jinja-like text in messages, plus one-feature templates. The
/// rendering must be byte-identical; where the reference fails, ours must fail too.
/// </summary>
[TestFixture]
public sealed class ChatTemplateReferenceCasesTests
{
    private static string FixturePath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "chat_template_cases.json");

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(FixturePath())));

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in Document.Value.RootElement.GetProperty("cases").EnumerateArray())
            yield return new TestCaseData(c.GetProperty("name").GetString()!).SetName("Case(" + c.GetProperty("name").GetString() + ")");
    }

    [TestCaseSource(nameof(Cases))]
    public void Case(string name)
    {
        var c = Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var templateId = c.GetProperty("template").GetString()!;
        var text = Document.Value.RootElement.GetProperty("templates").GetProperty(templateId).GetProperty("text").GetString()!;
        var messages = c.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
        var addGenerationPrompt = c.GetProperty("add_generation_prompt").GetBoolean();
        var variables = c.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        if (c.TryGetProperty("error", out var error))
        {
            var ex = Assert.Catch<ChatTemplateException>(() => ChatTemplate.Parse(text).Render(messages, addGenerationPrompt, variables),
                $"the reference fails with: {error.GetString()}");
            Assert.That(ex!.Line, Is.GreaterThan(0));
            if (ex is ChatTemplateRaisedException raised) Assert.That(raised.TemplateMessage, Is.EqualTo(error.GetString()));
            return;
        }
        var expected = c.GetProperty("expected").GetString()!;
        var actual = ChatTemplate.Parse(text).Render(messages, addGenerationPrompt, variables);
        Assert.That(actual, Is.EqualTo(expected), $"{name}: rendering differs from @huggingface/jinja");
    }

    [Test]
    public void Fixture_CoversTheRealTemplatesAndTheirCases()
    {
        var root = Document.Value.RootElement;
        var real = root.GetProperty("templates").EnumerateObject().Where(t => t.Value.GetProperty("source").GetString() != "synthetic").Select(t => t.Name).ToList();
        Assert.That(real, Is.SupersetOf(new[] { "qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3" }));
        var names = root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.That(names, Has.Some.Contains("enable_thinking=false"));
        Assert.That(names, Has.Some.StartsWith("qwen3/think_history"));
        Assert.That(names, Has.Some.StartsWith("qwen3/jinja_in_content"));
        Assert.That(names.Count, Is.GreaterThan(150));
    }
}
