using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// A valid JSON line or plan with a wrong-typed or null field, against the built CLI as a separate process: a resumed
/// run, <c>shard run</c> and <c>merge</c> exit 2 with one line naming the file, the line and the JSON path, and every
/// file that existed before is byte-identical afterwards (the merge writes no output at all).
/// </summary>
[TestFixture]
[NonParallelizable]
public class RecordReaderCliTests : TempRootCliTests
{
    protected override string Prefix => "orz-records-";

    private static string[] Flags(string outDir, int checkpoints = 1) =>
        ["--checkpoint_paths", .. DemoPaths.CheckpointDirectories.Take(checkpoints).Select(c => c.Path), "--data", DemoPaths.EvalData,
            "--output_dir", outDir, "--max_eval_samples", "4", "--generate_max_len", "8", "--batch_size", "4", "--batching", "static"];

    private static string FirstCheckpointName => Path.GetFileName(DemoPaths.CheckpointDirectories[0].Path);

    /// <summary>Replaces field <paramref name="field"/> of line <paramref name="lineNumber"/> (1-based) of a JSONL file.</summary>
    private static void EditLine(string path, int lineNumber, string field, JsonNode? value)
    {
        var lines = File.ReadAllText(path).Split('\n');
        var node = JsonNode.Parse(lines[lineNumber - 1])!.AsObject();
        node[field] = value;
        lines[lineNumber - 1] = node.ToJsonString();
        File.WriteAllText(path, string.Join('\n', lines));
    }

    private static string UnitJournal(string dir) =>
        Directory.GetFiles(Path.Combine(dir, OutputLayout.ShardFolder(0)), "unit-*.jsonl").Where(f => !f.Contains(".probes", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();

    private string Planned(string name, int shards = 1, int checkpoints = 1)
    {
        var dir = Path.Combine(Root, name);
        var r = Cli.Run(["shard", "plan", .. Flags(dir, checkpoints), "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(r.Code, Is.Zero, r.Err);
        return dir;
    }

    [TestCase("output", null, "field $.output is null")]
    [TestCase("index", "seven", "field $.index is a string; expected an integer")]
    [TestCase("token_ids", null, "field $.token_ids is null")]
    [TestCase("checkpoint", 5, "field $.checkpoint is a number; expected a string")]
    public void Resume_WrongTypeOrNullInJournalLine_Exit2_NamesFileLinePath_FilesUnchanged(string field, object? value, string problem)
    {
        var dir = Path.Combine(Root, $"resume-{field}");
        var first = Cli.Run(Flags(dir));
        Assert.That(first.Code, Is.Zero, first.Err);
        var journal = Path.Combine(dir, FirstCheckpointName, OutputLayout.Journal);
        EditLine(journal, 2, field, JsonSerializer.SerializeToNode(value));
        var before = CliRunner.Snapshot(dir);
        var line = CliRunner.AssertRefused(Cli.Run(Flags(dir)));
        Assert.That(line, Is.EqualTo($"error: {journal}, line 2: not a valid sample record: {problem}"));
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "no file changed");
    }

    [Test]
    public void Merge_NullOutputInUnitJournal_Exit2_NamesFileLinePath_NoOutputWritten()
    {
        var dir = Planned("merge-null-output", checkpoints: 2);
        var run = Cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "0");
        Assert.That(run.Code, Is.Zero, run.Err);
        var journal = UnitJournal(dir);
        EditLine(journal, 3, "output", null);
        var before = CliRunner.Snapshot(dir);
        var line = CliRunner.AssertRefused(Cli.Run("merge", dir));
        Assert.That(line, Is.EqualTo($"error: {journal}, line 3: not a valid sample record: field $.output is null"));
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "no file changed, no output written");
        MergeAllOrNothingCliTests.AssertNoTemporaryFiles(dir);
    }

    [Test]
    public void UnitsNullInPlan_ShardRunAndMerge_Exit2_NamesFileLinePath_FilesUnchanged()
    {
        var dir = Planned("plan-null-units");
        var planPath = Path.Combine(dir, "plan.json");
        var plan = JsonNode.Parse(File.ReadAllText(planPath))!.AsObject();
        plan["units"] = null;
        File.WriteAllText(planPath, plan.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        int lineNo = Array.FindIndex(File.ReadAllLines(planPath), l => l.Contains("\"units\": null", StringComparison.Ordinal)) + 1;
        Assert.That(lineNo, Is.GreaterThan(1));
        var expected = $"error: {planPath}, line {lineNo}: not a valid plan: field $.units is null";
        var before = CliRunner.Snapshot(dir);
        Assert.That(CliRunner.AssertRefused(Cli.Run("shard", "run", "--plan", planPath, "--index", "0")), Is.EqualTo(expected));
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "shard run changed nothing");
        Assert.That(CliRunner.AssertRefused(Cli.Run("merge", dir)), Is.EqualTo(expected));
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "merge changed nothing");
    }
}
