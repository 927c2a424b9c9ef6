using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// <c>merge</c> is all or nothing, against the built CLI as a separate process: a torn line in the middle of one
/// shard's journal (after <c>shard status</c> reported every unit complete) ends with exit 2, one line, no output file
/// and no temporary file; leftovers of a killed merge are removed by the next one; SIGTERM at 10 random moments of a merge
/// ends with exit 130 and nothing half-written, or with the whole merge done, equal to an uninterrupted merge.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MergeAllOrNothingCliTests : TempRootCliTests
{
    protected override string Prefix => "orz-merge-";

    private static string[] Flags(string outDir) =>
        ["--checkpoint_paths", .. DemoPaths.CheckpointDirectories.Take(2).Select(c => c.Path), "--data", DemoPaths.EvalData,
            "--output_dir", outDir, "--max_eval_samples", "8", "--generate_max_len", "8", "--batch_size", "4", "--batching", "static"];

    /// <summary>A planned and fully run 2-shard run over two checkpoints.</summary>
    private string Sharded(string name)
    {
        var dir = Path.Combine(Root, name);
        var plan = Cli.Run(["shard", "plan", .. Flags(dir), "--shards", "2"]);
        Assert.That(plan.Code, Is.Zero, plan.Err);
        foreach (var k in new[] { "0", "1" })
        {
            var r = Cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", k);
            Assert.That(r.Code, Is.Zero, r.Err);
        }
        var status = Cli.Run("shard", "status", dir);
        Assert.That(status.Out, Does.Contain("all units complete"), status.Out + status.Err);
        return dir;
    }

    /// <summary>No staging folder and no temporary file anywhere under <paramref name="dir"/>.</summary>
    internal static void AssertNoTemporaryFiles(string dir)
    {
        Assert.That(Directory.Exists(Path.Combine(dir, ".merge-staging")), Is.False, "no staging folder");
        var temps = Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains(".tmp", StringComparison.Ordinal)).ToArray();
        Assert.That(temps, Is.Empty, "no temporary file");
    }

    /// <summary>The files a merge writes (everything but the plan, the shards and the lock).</summary>
    private static string[] Outputs(string dir) =>
        CliRunner.Snapshot(dir).Keys.Where(k => k != "plan.json" && !k.StartsWith("shards", StringComparison.Ordinal)).ToArray();

    [Test]
    public void TornLineInTheMiddleOfOneShardsJournal_Exit2_NoOutputNoTempFile_ThenLeftoversCleaned()
    {
        var dir = Sharded("torn");
        // The last journal of the last shard: the merge would already have written the first checkpoint's files.
        var journal = Directory.GetFiles(Path.Combine(dir, OutputLayout.ShardFolder(1)), "unit-*.jsonl").Order(StringComparer.Ordinal).Last();
        var original = File.ReadAllBytes(journal);
        var lines = File.ReadAllText(journal).Split('\n');
        Assert.That(lines.Length, Is.GreaterThan(3), "the journal has lines after the torn one");
        lines[1] = lines[1][..(lines[1].Length / 2)];
        File.WriteAllText(journal, string.Join('\n', lines));
        var before = CliRunner.Snapshot(dir);

        var line = CliRunner.AssertRefused(Cli.Run("merge", dir));
        Assert.That(line, Does.StartWith($"error: {journal}, line 2: not a valid sample record: "));
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "nothing written");
        Assert.That(Outputs(dir), Is.Empty, "no output file");
        AssertNoTemporaryFiles(dir);

        // What a killed merge and a killed run leave behind is removed by the next merge.
        File.WriteAllBytes(journal, original);
        var ck = Path.GetFileName(DemoPaths.CheckpointDirectories[0].Path);
        Directory.CreateDirectory(Path.Combine(dir, ".merge-staging", ck));
        File.WriteAllText(Path.Combine(dir, ".merge-staging", ck, "results.jsonl"), "{\"half\":");
        Directory.CreateDirectory(Path.Combine(dir, ck));
        File.WriteAllText(Path.Combine(dir, ck, $"summary.json.tmp-4242-{Guid.NewGuid():N}"), "{");
        File.WriteAllText(Path.Combine(dir, "trends.csv.tmp"), "x");
        var merged = Cli.Run("merge", dir);
        Assert.That(merged.Code, Is.Zero, merged.Err);
        Assert.That(File.Exists(Path.Combine(dir, ck, OutputLayout.Journal)), Is.True);
        AssertNoTemporaryFiles(dir);
    }

    [Test]
    public void Sigterm_AtRandomMomentsOfAMerge_Exit130NothingHalfWritten_OrMergeComplete()
    {
        var clean = Sharded("term-clean");
        Assert.That(Cli.Run("merge", clean).Code, Is.Zero);
        var expected = Outputs(clean);
        var dir = Sharded("term");
        int seed = int.TryParse(Environment.GetEnvironmentVariable("ORZ_TERM_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
        TestContext.Out.WriteLine($"SIGTERM seed {seed} (ORZ_TERM_SEED={seed} replays it)");
        var rng = new Random(seed);
        var owner = Path.Combine(dir, OutputDirectoryLock.OwnerFileName);
        for (int i = 0; i < 10; i++)
        {
            var before = CliRunner.Snapshot(dir);
            using var p = Cli.Start(["merge", dir]);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var self = $"process {p.Id} on host ";
            // The merge holds the directory (its signal handlers are installed), then a random moment of its work.
            OutputEvents.WaitFor(p, dir, () => File.Exists(owner) && File.ReadAllText(owner).StartsWith(self, StringComparison.Ordinal),
                $"merge process {p.Id} holds {dir}", TimeSpan.FromMinutes(3), () => stdout.Result + stderr.Result);
            Thread.Sleep(rng.Next(0, 1500));
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True);
            TestContext.Out.WriteLine($"merge {i}: exit {p.ExitCode}");
            Assert.That(p.ExitCode, Is.EqualTo(130).Or.EqualTo(0), stdout.Result + stderr.Result);
            AssertNoTemporaryFiles(dir);
            if (p.ExitCode == 130)
                Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "a cancelled merge changes nothing");
            else
                Assert.That(Outputs(dir), Is.EqualTo(expected), "a merge that finished wrote everything");
        }
        Assert.That(Cli.Run("merge", dir).Code, Is.Zero);
        var after = CliRunner.Snapshot(dir);
        var reference = CliRunner.Snapshot(clean);
        foreach (var name in expected.Where(n => n.EndsWith(".jsonl", StringComparison.Ordinal) || n.EndsWith(".csv", StringComparison.Ordinal)))
            Assert.That(after[name], Is.EqualTo(reference[name]), $"{name} equals the uninterrupted merge's");
    }
}
