using NUnit.Framework;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// The sbatch scripts that <c>slurm submit</c> writes, line by line: job names from the plan id, the array spec of the
/// shards to run, log paths, resources (GPU and memory only for shard tasks, one CPU for the merge), extra #SBATCH
/// lines, strict bash, and the launcher command with shell quoting.
/// </summary>
[TestFixture]
public class SlurmScriptTests
{
    private static readonly ShardPlan Plan = new() { PlanId = "0123456789abcdef0123456789abcdef", ShardCount = 8 };

    [Test]
    public void ArrayScript_RunsOneShardPerTask_WithResourcesAndQuotedLauncher()
    {
        var options = new SlurmOptions
        {
            Launcher = ["/usr/bin/dotnet", "/opt/orz dynamic/orz-dynamic.dll"],
            Partition = "gpu",
            Gres = "gpu:1",
            Time = "02:00:00",
            CpusPerTask = 8,
            Mem = "32G",
            ExtraArgs = ["--account=lab", "--qos=high"],
        };
        var script = SlurmSubmitter.ArrayScript("/cluster/run", Plan, options, [0, 1, 2, 3, 5, 7]);
        Assert.That(script, Is.EqualTo(
            "#!/bin/bash\n" +
            "#SBATCH --job-name=orz-shards-01234567\n" +
            "#SBATCH --array=0-3,5,7\n" +
            "#SBATCH --output=\"/cluster/run/slurm/logs/shard-%a.%A.out\"\n" +
            "#SBATCH --partition=gpu\n" +
            "#SBATCH --gres=gpu:1\n" +
            "#SBATCH --time=02:00:00\n" +
            "#SBATCH --cpus-per-task=8\n" +
            "#SBATCH --mem=32G\n" +
            "#SBATCH --account=lab\n" +
            "#SBATCH --qos=high\n" +
            "# Written by `orz-dynamic slurm submit`. Task K runs shard K of the plan; rerunning a task resumes its journals.\n" +
            "set -euo pipefail\n" +
            "exec '/usr/bin/dotnet' '/opt/orz dynamic/orz-dynamic.dll' shard run --plan '/cluster/run/plan.json'\n"));
    }

    [Test]
    public void ArrayScript_WithoutOptionalResources_HasNoResourceLines()
    {
        var script = SlurmSubmitter.ArrayScript("/cluster/run", Plan, new SlurmOptions(), [4]);
        var lines = script.Split('\n');
        Assert.That(lines.Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "#SBATCH --job-name=orz-shards-01234567",
            "#SBATCH --array=4",
            "#SBATCH --output=\"/cluster/run/slurm/logs/shard-%a.%A.out\"",
        }));
        Assert.That(lines[^2], Is.EqualTo("exec 'orz-dynamic' shard run --plan '/cluster/run/plan.json'"));
        Assert.That(lines[^1], Is.Empty, "the script ends with a newline");
    }

    [Test]
    public void MergeScript_OneCpuNoGpuNoMemory_QuotedMergeArguments()
    {
        var options = new SlurmOptions
        {
            Launcher = ["orz-dynamic"],
            Partition = "cpu",
            Gres = "gpu:1",
            Time = "00:30:00",
            CpusPerTask = 8,
            Mem = "32G",
            ExtraArgs = ["--account=lab"],
            MergeArgs = ["--error_bars", "ci", "it's"],
        };
        var script = SlurmSubmitter.MergeScript("/cluster/run", Plan, options);
        Assert.That(script, Is.EqualTo(
            "#!/bin/bash\n" +
            "#SBATCH --job-name=orz-merge-01234567\n" +
            "#SBATCH --output=\"/cluster/run/slurm/logs/merge.%j.out\"\n" +
            "#SBATCH --partition=cpu\n" +
            "#SBATCH --time=00:30:00\n" +
            "#SBATCH --cpus-per-task=1\n" +
            "# Written by `orz-dynamic slurm submit`; runs after every shard task succeeded (afterok).\n" +
            "set -euo pipefail\n" +
            "exec 'orz-dynamic' merge '/cluster/run' '--error_bars' 'ci' 'it'\\''s'\n"));
    }

    [TestCase(new[] { 0 }, "0")]
    [TestCase(new[] { 0, 1, 2, 3 }, "0-3")]
    [TestCase(new[] { 0, 2, 4 }, "0,2,4")]
    [TestCase(new[] { 0, 1, 2, 3, 5, 7, 8 }, "0-3,5,7-8")]
    [TestCase(new[] { 9, 10 }, "9-10")]
    [TestCase(new int[0], "")]
    public void Ranges_CompactsRunsOfConsecutiveShards(int[] shards, string expected) =>
        Assert.That(SlurmSubmitter.Ranges(shards), Is.EqualTo(expected));

    [Test]
    public void DryRun_WritesBothScriptsIntoTheSlurmFolder_SubmitsNothing()
    {
        using var dir = new TempDirectory();
        var plan = Plan with { ShardCount = 3 };
        var options = new SlurmOptions { Launcher = ["orz-dynamic"], DryRun = true };
        var submission = SlurmSubmitter.Submit(dir.Path, plan, options);
        var slurm = Path.Combine(dir.Path, "slurm");
        Assert.That(submission.ArrayScript, Is.EqualTo(Path.Combine(slurm, "shards.sbatch")));
        Assert.That(submission.MergeScript, Is.EqualTo(Path.Combine(slurm, "merge.sbatch")));
        Assert.That(Directory.Exists(Path.Combine(slurm, "logs")), Is.True, "Slurm does not create the log folder itself");
        var array = File.ReadAllText(submission.ArrayScript);
        Assert.That(array, Does.Contain("\n#SBATCH --array=0-2\n"), "a plan with no finished units runs every shard");
        Assert.That(array, Does.EndWith($"\nexec 'orz-dynamic' shard run --plan '{Path.Combine(dir.Path, "plan.json")}'\n"));
        Assert.That(File.ReadAllText(submission.MergeScript), Does.EndWith($"\nexec 'orz-dynamic' merge '{dir.Path}'\n"));
        Assert.That((submission.ArrayJobId, submission.MergeJobId), Is.EqualTo(((string?)null, (string?)null)));
        Assert.That(submission.WatchCommand, Is.EqualTo(
            $"sbatch '{submission.ArrayScript}'   # then: sbatch --dependency=afterok:<array job id> '{submission.MergeScript}'"));
        Assert.That(File.Exists(Path.Combine(slurm, SlurmSubmitter.SubmissionsFile)), Is.False, "nothing was submitted");
    }
}
