using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Runs the built CLI in <c>--debug</c> mode on the untrained demo checkpoint (nothing correct, so the correct stratum
/// is empty) and checks what summary.json and plan.json hold: the debug cut is not counted as too-long prompts, and
/// missing values are JSON null, never strings.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class SummaryCountsProcessTests
{
    private TempDirectory _tmp = null!;
    private CliRunner _cli = null!;
    private JsonObject _results = null!;
    private string _stdout = "";

    private static string Untrained => DemoPaths.CheckpointDirectories[0].Path;

    [OneTimeSetUp]
    public void RunDebug()
    {
        _tmp = new TempDirectory();
        _cli = new CliRunner(_tmp.Path);
        var (code, stdout, err) = _cli.Run("--checkpoint_paths", Untrained, "--data", DemoPaths.EvalData, "--debug",
            "--generate_max_len", "16", "--output_dir", _tmp.Sub("out"));
        Assert.That(code, Is.Zero, stdout + err);
        _stdout = stdout;
        var text = File.ReadAllText(Path.Combine(_tmp.Sub("out"), Path.GetFileName(Untrained), OutputLayout.Summary));
        _results = JsonNode.Parse(text)!["results"]!.AsObject();
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    [Test]
    public void Debug_SkippedTooLong_CountsOnlyPromptsOverTheLimit()
    {
        Assert.That(_results["arith_demo/evaluated"]!.GetValue<double>(), Is.EqualTo(2), "--debug keeps 2 samples per dataset");
        Assert.That(_results["arith_demo/skipped_too_long"]!.GetValue<double>(), Is.Zero, "the debug cut is not a too-long skip");
        var logs = CliRunner.Logs(_tmp.Sub("out"));
        Assert.That(logs, Does.Contain("0 prompt(s) over"), "the log agrees with the summary");
    }

    [Test]
    public void Debug_ResultsTable_SkippedTooLong_IsZero()
    {
        var lines = _stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var header = lines.First(l => l.Contains("skipped (too long)", StringComparison.Ordinal));
        int column = header.Split('│').Select(c => c.Trim()).ToList().IndexOf("skipped (too long)");
        Assert.That(column, Is.GreaterThan(0), header);
        var row = lines.SkipWhile(l => l != header).First(l => l.StartsWith("│ arith_demo ", StringComparison.Ordinal));
        Assert.That(row.Split('│')[column].Trim(), Is.EqualTo("0"), "the table agrees with summary.json:\n" + header + "\n" + row);
    }

    [Test]
    public void Debug_ShardPlan_SkippedTooLong_IsZero()
    {
        var dir = _tmp.Sub("plan");
        var (code, stdout, err) = _cli.Run("shard", "plan", "--checkpoint_paths", Untrained, "--data", DemoPaths.EvalData, "--debug",
            "--generate_max_len", "16", "--output_dir", dir, "--shards", "2");
        Assert.That(code, Is.Zero, stdout + err);
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "plan.json")))!;
        var counts = plan["checkpoints"]!.AsArray().SelectMany(c => c!["datasets"]!.AsArray()).Select(d => d!["skipped_too_long"]!.GetValue<int>()).ToArray();
        Assert.That(counts, Is.Not.Empty);
        Assert.That(counts, Is.All.Zero);
    }

    [Test]
    public void Summary_MissingValues_AreNull_NeverStrings()
    {
        var kinds = _results.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValueKind() ?? JsonValueKind.Null);
        Assert.That(kinds.Where(k => k.Value is not (JsonValueKind.Number or JsonValueKind.Null)).Select(k => $"{k.Key}: {k.Value}"),
            Is.Empty, "every results value is a number or null");
        Assert.That(kinds["arith_demo/ld_correct/prob_energy"], Is.EqualTo(JsonValueKind.Null), "empty correct stratum (untrained checkpoint)");
        Assert.That(kinds["arith_demo/ld_incorrect/prob_energy"], Is.EqualTo(JsonValueKind.Number));
        Assert.That(_stdout, Does.Not.Contain("NaN"));
    }
}
