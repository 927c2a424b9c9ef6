using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization.ChatTemplates;

/// <summary>
/// <see cref="HfTokenizer.ApplyChatTemplate"/> on the shared Qwen3 and Llama 3 tokenizers against the reference renderings
/// of Fixtures/chat_template_cases.json (made from the same tokenizer_config.json files), and on small hand-made checkpoints.
/// </summary>
[TestFixture]
public sealed class ApplyChatTemplateTests
{
    private static string FixturePath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "chat_template_cases.json");

    private static JsonElement ReferenceCase(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath()));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static List<ChatMessage> Messages(JsonElement c) =>
        c.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();

    [TestCase("qwen3", "qwen3/system_user/agp=true", false)]
    [TestCase("qwen3", "qwen3/think_last/agp=false", false)]
    [TestCase("qwen3", "qwen3/unicode/agp=true", false)]
    [TestCase("qwen3", "qwen3/multi_turn/agp=true/enable_thinking=false", true)]
    [TestCase("llama3", "llama3/system_user/agp=true", false)]
    [TestCase("llama3", "llama3/jinja_in_content/agp=false", false)]
    public void SharedTokenizer_MatchesReference(string tokenizer, string caseName, bool thinkingOff)
    {
        var tok = SharedTokenizers.Get(tokenizer);
        var c = ReferenceCase(caseName);
        Assert.That(tok.HasChatTemplate, Is.True);
        var variables = thinkingOff ? new Dictionary<string, object?> { ["enable_thinking"] = false } : null;
        var text = tok.ApplyChatTemplate(Messages(c), c.GetProperty("add_generation_prompt").GetBoolean(), variables);
        Assert.That(text, Is.EqualTo(c.GetProperty("expected").GetString()));
    }

    [Test]
    public void Qwen3_RenderedPrompt_EncodesItsSpecialTokensAsSingleIds()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var text = tok.ApplyChatTemplate([new("system", "Be brief."), new("user", "2+2?")], addGenerationPrompt: true,
            new Dictionary<string, object?> { ["enable_thinking"] = false });
        var ids = tok.Encode(text, addSpecialTokens: false);
        var imStart = tok.TokenToId("<|im_start|>")!.Value;
        var imEnd = tok.TokenToId("<|im_end|>")!.Value;
        Assert.That(ids[0], Is.EqualTo(imStart));
        Assert.That(ids.Count(id => id == imStart), Is.EqualTo(3));
        Assert.That(ids.Count(id => id == imEnd), Is.EqualTo(2));
        Assert.That(text, Does.EndWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        Assert.That(tok.Decode(ids), Is.EqualTo(text));
    }

    [Test]
    public void Qwen3_ThinkingHistory_IsStrippedFromEarlierAssistantTurns()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var text = tok.ApplyChatTemplate(
            [new("user", "a?"), new("assistant", "<think>\nsecret reasoning\n</think>\n\nA."), new("user", "b?")], addGenerationPrompt: true);
        Assert.That(text, Does.Not.Contain("secret reasoning"));
        Assert.That(text, Does.Contain("<|im_start|>assistant\nA.<|im_end|>"));
    }

    [Test]
    public void CheckpointWithoutChatTemplate_ReportsItClearly()
    {
        var tok = SharedTokenizers.Get("llama2");
        Assert.That(tok.HasChatTemplate, Is.False);
        var ex = Assert.Throws<TokenizerLoadException>(() => tok.ApplyChatTemplate([new("user", "hi")], addGenerationPrompt: true))!;
        Assert.That(ex.Field, Is.EqualTo("chat_template"));
        Assert.That(ex.Message, Does.Contain("no chat template"));
    }

    [Test]
    public void TinyCheckpoint_FillsSpecialTokensAndLetsVariablesOverride()
    {
        var config = new JsonObject
        {
            ["eos_token"] = "<|eot|>",
            ["chat_template"] = "{{ bos_token|default('no-bos') }}|{% for m in messages %}{{ m.role }}:{{ m.content }}{{ eos_token }}{% endfor %}{{ tools is none }}{{ documents is none }}{% if add_generation_prompt %}assistant:{% endif %}",
        };
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), config.ToJsonString());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.ApplyChatTemplate([new("user", "hello")], addGenerationPrompt: true), Is.EqualTo("no-bos|user:hello<|eot|>truetrueassistant:"));
        Assert.That(tok.ApplyChatTemplate([new("user", "hello")], addGenerationPrompt: false, new Dictionary<string, object?> { ["eos_token"] = "END", ["tools"] = new[] { "t" } }),
            Is.EqualTo("no-bos|user:hello" + "END" + "falsetrue"));
    }

    [Test]
    public void NamedChatTemplates_DefaultIsUsedAndAllAreKept()
    {
        var config = new JsonObject
        {
            ["chat_template"] = new JsonArray(
                new JsonObject { ["name"] = "tool_use", ["template"] = "TOOLS {{ messages|length }}" },
                new JsonObject { ["name"] = "default", ["template"] = "DEFAULT {{ messages|length }}" }),
        };
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), config.ToJsonString());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Config.NamedChatTemplates.Keys, Is.EquivalentTo(new[] { "tool_use", "default" }));
        Assert.That(tok.ApplyChatTemplate([new("user", "x")], addGenerationPrompt: false), Is.EqualTo("DEFAULT 1"));
        Assert.That(ChatTemplate.Parse(tok.Config.NamedChatTemplates["tool_use"]).Render([new("user", "x")], false), Is.EqualTo("TOOLS 1"));
    }

    [Test]
    public void BadTemplateInCheckpoint_NamesTheConfigFile()
    {
        var config = new JsonObject { ["chat_template"] = "{% for m in messages %}\n{{ m.content }" };
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), config.ToJsonString());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        var ex = Assert.Catch<ChatTemplateException>(() => tok.ApplyChatTemplate([new("user", "x")], addGenerationPrompt: false))!;
        Assert.That(ex.Origin, Does.Contain("tokenizer_config.json"));
        Assert.That(ex.Line, Is.EqualTo(2));
    }

    [Test]
    public void ChatTemplateJinjaFile_TakesPrecedenceOverTheConfigField()
    {
        var config = new JsonObject { ["chat_template"] = "FROM CONFIG" };
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), config.ToJsonString());
        var jinja = Path.Combine(files.Directory, HfTokenizerConfig.ChatTemplateFileName);
        File.WriteAllText(jinja, "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}\n");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Config.ChatTemplatePath, Is.EqualTo(jinja));
        Assert.That(tok.ApplyChatTemplate([new("user", "q")], addGenerationPrompt: false), Is.EqualTo("[user]q"));
    }

    [Test]
    public void ChatTemplateJinjaFile_WithoutTokenizerConfig_IsUsedAndNamedInErrors()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson());
        var jinja = Path.Combine(files.Directory, HfTokenizerConfig.ChatTemplateFileName);
        File.WriteAllText(jinja, "ok\n{{ messages|nosuchfilter }}");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.HasChatTemplate, Is.True);
        Assert.That(tok.Config.TokenizerConfigPath, Is.Null);
        var ex = Assert.Catch<ChatTemplateException>(() => tok.ApplyChatTemplate([new("user", "q")], addGenerationPrompt: false))!;
        Assert.That(ex.Origin, Is.EqualTo(jinja));
        Assert.That((ex.Line, ex.Column), Is.EqualTo((2, 12)));
    }
}
