using System.Text.RegularExpressions;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>One flag style: underscore names (the Python tool's) in --help, the dash spelling of each accepted.</summary>
[TestFixture, NonParallelizable]
public sealed class FlagSpellingTests
{
    [TestCase]
    [TestCase("slurm", "submit")]
    [TestCase("shard", "run")]
    public void Help_ListsOnlyUnderscoreNames(params string[] command)
    {
        using var tmp = new TempDirectory();
        var (code, stdout, err) = new CliRunner(tmp.Path).Run([.. command, "--help"]);
        Assert.That(code, Is.Zero, stdout + err);
        var flags = Regex.Matches(stdout, @"(?<![\w-])--[a-z][a-z0-9_-]*").Select(m => m.Value).Distinct().ToArray();
        Assert.That(flags, Is.Not.Empty);
        Assert.That(flags.Where(f => f[2..].Contains('-', StringComparison.Ordinal)), Is.Empty, "dash-spelled flags in --help");
        if (command.Length > 0 && command[0] == "slurm")
            Assert.That(flags, Does.Contain("--cpus_per_task").And.Contain("--sbatch_arg").And.Contain("--dry_run"));
    }

    [Test]
    public void DashSpelling_IsAnAlias_OfEveryFlag()
    {
        using var tmp = new TempDirectory();
        var cli = new CliRunner(tmp.Path);
        var (code, stdout, err) = cli.Run("--checkpoint-paths", DemoPaths.CheckpointDirectories[^1].Path, "--data", DemoPaths.EvalData,
            "--max-eval-samples", "2", "--generate-max-len=8", "--output-dir", tmp.Sub("out"));
        Assert.That(code, Is.Zero, stdout + err);
        Assert.That(File.Exists(Path.Combine(tmp.Sub("out"), "iter2200", "summary.json")), Is.True);

        var dir = tmp.Sub("slurm run");
        (code, stdout, err) = cli.Run("slurm", "submit", "--checkpoint_paths", DemoPaths.CheckpointDirectories[^1].Path, "--data", DemoPaths.EvalData,
            "--max_eval_samples", "2", "--output_dir", dir, "--shards", "2", "--cpus-per-task", "3", "--sbatch-arg", "--cpus-per-task=5", "--dry-run",
            "--launcher", "/opt/orz/orz-dynamic.dll");
        Assert.That(code, Is.Zero, stdout + err);
        var script = File.ReadAllText(Path.Combine(dir, "slurm", "shards.sbatch"));
        Assert.That(script, Does.Contain("#SBATCH --cpus-per-task=3"), "the alias sets --cpus_per_task");
        Assert.That(script, Does.Contain("#SBATCH --cpus-per-task=5"), "the value of --sbatch_arg is passed on verbatim");
        Assert.That(script, Does.Contain($"#SBATCH --output=\"{Path.Combine(dir, "slurm", "logs", "shard-%a.%A.out")}\"\n"), "a path with a space is quoted");
        Assert.That(script, Does.Contain("exec 'dotnet' '/opt/orz/orz-dynamic.dll' shard run"), "the --launcher given runs the shards");
    }
}
