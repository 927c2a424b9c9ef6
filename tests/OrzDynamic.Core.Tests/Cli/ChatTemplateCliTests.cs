using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tests.Tokenization;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// The CLI prompting a generated Qwen3 checkpoint with the real Qwen3 tokenizer and its chat template
/// (<c>--prompt_template chat --chat_template_kwargs enable_thinking=false</c>), and refusing the chat template
/// where a checkpoint has none.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ChatTemplateCliTests
{
    private string _root = null!;
    private string _checkpoint = null!;
    private string _data = null!;
    private CliRunner _cli = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var tokenizer = SharedTokenizers.Directory("qwen3");
        _root = Path.Combine(Path.GetTempPath(), "orz-chat-cli-" + Guid.NewGuid().ToString("N")[..8]);
        // Vocabulary of the real Qwen3 checkpoints (the tokenizer's ids go up to 151668); everything else tiny.
        _checkpoint = new TinyCheckpointBuilder
        {
            ModelType = "qwen3", VocabSize = 151936, HiddenSize = 16, IntermediateSize = 32, Layers = 1, Heads = 2, KvHeads = 1, HeadDim = 8,
            EosTokenIds = [151645, 151643],
        }.Write(Path.Combine(_root, "qwen3-tiny"));
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(tokenizer, file), Path.Combine(_checkpoint, file));
        _data = Path.Combine(_root, "math.jsonl");
        File.WriteAllLines(_data,
        [
            JsonSerializer.Serialize(new { prompt = new[] { new { from = "user", value = "What is 2 + 3?" } }, final_answer = "5" }),
            JsonSerializer.Serialize(new { prompt = new[] { new { from = "user", value = "What is 7 times 6?" } }, final_answer = "42" }),
        ]);
        _cli = new CliRunner(_root);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        if (_root is not null && Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void ChatTemplateWithThinkingOff_RendersQwen3Prompt_RecordsSegmentsAndManifest()
    {
        var output = Path.Combine(_root, "out-chat");
        var (code, stdout, err) = _cli.Run("--checkpoint_paths", _checkpoint, "--data", _data, "--output_dir", output, "--prompt_template", "chat",
            "--chat_template_kwargs", "enable_thinking=false", "--system_prompt", "Answer briefly.", "--greedy", "--generate_max_len", "6");
        Assert.That(code, Is.EqualTo(0), stdout + err);

        var dir = Path.Combine(output, "qwen3-tiny");
        var lines = File.ReadAllLines(Path.Combine(dir, "results.jsonl"));
        Assert.That(lines, Has.Length.EqualTo(2));
        using var first = JsonDocument.Parse(lines[0]);
        var prompt = first.RootElement.GetProperty("prompt").GetString()!;
        Assert.That(prompt, Does.StartWith("<|im_start|>system\nAnswer briefly.<|im_end|>\n<|im_start|>user\n"));
        Assert.That(prompt, Does.EndWith("<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        // Think segments are on by default with the chat template; random weights never write </think>.
        var status = first.RootElement.GetProperty("think_segments").GetProperty("status").GetString();
        Assert.That(status, Is.AnyOf("missing", "closed"));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var results = summary.RootElement.GetProperty("results");
        Assert.That(results.GetProperty("math/think_closed").GetDouble() + results.GetProperty("math/think_missing").GetDouble()
            + results.GetProperty("math/think_unclosed").GetDouble(), Is.EqualTo(2));

        var manifest = File.ReadAllText(Path.Combine(dir, "run_manifest.json"));
        Assert.That(manifest, Does.Contain("chat sha256:").And.Contain("think_segments"));

        // Resuming with another template variable is refused.
        var (again, _, againErr) = _cli.Run("--checkpoint_paths", _checkpoint, "--data", _data, "--output_dir", output, "--prompt_template", "chat",
            "--chat_template_kwargs", "enable_thinking=true", "--system_prompt", "Answer briefly.", "--greedy", "--generate_max_len", "6");
        Assert.That(again, Is.EqualTo(2), againErr);
        Assert.That(againErr, Does.Contain("prompt_template"));
    }

    [Test]
    public void ChatTemplateOnCheckpointWithout_Exit2_OneLine()
    {
        var bare = Path.Combine(_root, "no-template");
        if (!Directory.Exists(bare))
        {
            Directory.CreateDirectory(bare);
            foreach (var f in Directory.GetFiles(_checkpoint)) File.Copy(f, Path.Combine(bare, Path.GetFileName(f)));
            var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(bare, "tokenizer_config.json"))).RootElement.EnumerateObject()
                .Where(p => p.Name != "chat_template").ToDictionary(p => p.Name, p => p.Value);
            File.WriteAllText(Path.Combine(bare, "tokenizer_config.json"), JsonSerializer.Serialize(config));
        }
        var (code, stdout, err) = _cli.Run("--checkpoint_paths", bare, "--data", _data, "--output_dir", Path.Combine(_root, "out-bare"),
            "--prompt_template", "chat", "--greedy", "--generate_max_len", "4");
        Assert.That(code, Is.EqualTo(2), stdout + err);
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Contain("no chat template").And.Not.Contain("   at "));
    }
}
