using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// One writer per output directory, against the built CLI as separate processes: a run, a shard and a merge refuse a
/// directory whose lock another process holds (exit 2, one line naming the directory and the holder, nothing changed);
/// shards of one plan do not block each other; two runs started 0–1000 ms apart on one directory leave exactly one
/// running and a journal equal to a clean run's.
/// </summary>
[TestFixture]
[NonParallelizable]
public class OutputLockCliTests : TempRootCliTests
{
    protected override string Prefix => "orz-lock-";

    private static string[] Flags(string outDir, params string[] extra) =>
        ["--checkpoint_paths", DemoPaths.CheckpointDirectories[0].Path, "--data", DemoPaths.EvalData, "--output_dir", outDir,
            "--max_eval_samples", "8", "--generate_max_len", "16", "--batch_size", "4", .. extra];

    /// <summary>
    /// The race's runs: long enough (24 samples of up to 32 tokens, several seconds) that the first is still running
    /// when the second starts, 1000 ms later, even on a fast quiet host.
    /// </summary>
    private static string[] RaceFlags(string outDir, params string[] extra) =>
        ["--checkpoint_paths", DemoPaths.CheckpointDirectories[0].Path, "--data", DemoPaths.EvalData, "--output_dir", outDir,
            "--max_eval_samples", "24", "--generate_max_len", "32", "--batch_size", "4", .. extra];

    private static string InUse(string dir) =>
        $"error: {Path.GetFullPath(dir)}: output directory is in use by {OutputDirectoryLock.Self}; wait for it to finish or choose another --output_dir";

    [Test]
    public void Run_LockedDirectory_Exit2_NamesHolder_FilesUnchanged()
    {
        var dir = Path.Combine(Root, "run-locked");
        Assert.That(Cli.Run(Flags(dir)).Code, Is.Zero);
        var before = CliRunner.Snapshot(dir);
        using (OutputDirectoryLock.Acquire(dir))
        {
            var line = CliRunner.AssertRefused(Cli.Run(Flags(dir)));
            Assert.That(line, Is.EqualTo(InUse(dir)));
        }
        Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "no file changed");
        Assert.That(Cli.Run(Flags(dir)).Code, Is.Zero, "released: the next run proceeds");
    }

    [Test]
    public void ShardRunAndMerge_LockedDirectory_Exit2_OtherShardProceeds()
    {
        var dir = Path.Combine(Root, "sharded");
        var plan = Cli.Run(["shard", "plan", .. Flags(dir), "--shards", "2"]);
        Assert.That(plan.Code, Is.Zero, plan.Err);
        var planPath = Path.Combine(dir, "plan.json");
        var shard0 = Path.Combine(dir, OutputLayout.ShardFolder(0));
        using (OutputDirectoryLock.Acquire(shard0))
        {
            var before = CliRunner.Snapshot(dir);
            Assert.That(CliRunner.AssertRefused(Cli.Run("shard", "run", "--plan", planPath, "--index", "0")), Is.EqualTo(InUse(shard0)));
            Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "the refused shard wrote nothing");
            var other = Cli.Run("shard", "run", "--plan", planPath, "--index", "1");
            Assert.That(other.Code, Is.Zero, "shards of one plan do not block each other: " + other.Err);
        }
        Assert.That(Cli.Run("shard", "run", "--plan", planPath, "--index", "0").Code, Is.Zero);
        using (OutputDirectoryLock.Acquire(dir))
        {
            var before = CliRunner.Snapshot(dir);
            Assert.That(CliRunner.AssertRefused(Cli.Run("merge", dir)), Is.EqualTo(InUse(dir)));
            Assert.That(CliRunner.Snapshot(dir), Is.EqualTo(before), "the refused merge wrote nothing");
        }
        Assert.That(Cli.Run("merge", dir).Code, Is.Zero);
    }

    [TestCase(0, false)]
    [TestCase(50, false)]
    [TestCase(200, false)]
    [TestCase(1000, false)]
    [TestCase(0, true)]
    [TestCase(50, true)]
    [TestCase(200, true)]
    [TestCase(1000, true)]
    public void TwoRunsOnOneDirectory_ExactlyOneProceeds_JournalEqualsCleanRun(int delayMs, bool otherSeed)
    {
        string[] second = otherSeed ? ["--seed", "7"] : [];
        var cleanFirst = Clean("clean-default", []);
        var cleanSecond = otherSeed ? Clean("clean-seed7", second) : cleanFirst;
        var dir = Path.Combine(Root, $"race-{delayMs}-{otherSeed}");
        using var a = Cli.Start(RaceFlags(dir));
        var aOut = a.StandardOutput.ReadToEndAsync();
        var aErr = a.StandardError.ReadToEndAsync();
        Thread.Sleep(delayMs);
        using var b = Cli.Start(RaceFlags(dir, second));
        var bOut = b.StandardOutput.ReadToEndAsync();
        var bErr = b.StandardError.ReadToEndAsync();
        Assert.That(a.WaitForExit(TimeSpan.FromMinutes(3)) && b.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "both runs end");
        var codes = new[] { a.ExitCode, b.ExitCode };
        Assert.That(codes.Order(), Is.EqualTo(new[] { 0, 2 }), $"exactly one proceeds:\nA: {aOut.Result}{aErr.Result}\nB: {bOut.Result}{bErr.Result}");
        var (loserErr, winnerClean) = a.ExitCode == 0 ? (bErr.Result, cleanFirst) : (aErr.Result, cleanSecond);
        Assert.That(loserErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        Assert.That(loserErr, Does.StartWith($"error: {Path.GetFullPath(dir)}: output directory is in use by process "));
        var journal = Path.Combine(dir, "iter0", OutputLayout.Journal);
        Assert.That(File.ReadAllBytes(journal), Is.EqualTo(File.ReadAllBytes(Path.Combine(winnerClean, "iter0", OutputLayout.Journal))),
            "the surviving journal equals a clean run's");
    }

    private string Clean(string name, string[] extra)
    {
        var dir = Path.Combine(Root, name);
        if (File.Exists(Path.Combine(dir, "iter0", OutputLayout.Summary))) return dir;
        var r = Cli.Run(RaceFlags(dir, extra));
        Assert.That(r.Code, Is.Zero, r.Err);
        return dir;
    }
}
