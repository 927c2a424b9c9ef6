using System.IO.Compression;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>
/// Installs the CLI as the README does: packs it as a .NET tool into the local feed (this machine's runtime identifier
/// only), <c>dotnet tool install --tool-path</c> from the feed, then runs <c>orz-dynamic --help</c> and the embedded demo
/// (no arguments) from the installed command, and <c>slurm submit</c> writes scripts that call it; once more as a local
/// tool in a tool manifest (<c>dotnet tool run</c>).
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public sealed class ToolInstallTests
{
    private TempDirectory _tmp = null!;
    private string _command = null!;

    [OneTimeSetUp]
    public void PackAndInstall()
    {
        _tmp = new TempDirectory();
        var feed = LocalFeed.WithTool();
        var tools = _tmp.Sub("tools");
        LocalFeed.Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "--version", LocalFeed.Version, "OrzDynamic.Cli"], _tmp.Path, 600);
        _command = Path.Combine(tools, OperatingSystem.IsWindows() ? "orz-dynamic.exe" : "orz-dynamic");
        Assert.That(File.Exists(_command), Is.True, "the tool's command " + _command);
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    [Test]
    public void ToolPackage_IsADotnetTool_WithItsReadme()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(LocalFeed.WithTool(), $"OrzDynamic.Cli.{LocalFeed.Version}.nupkg"));
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var spec = nuspec.ReadToEnd();
        Assert.That(spec, Does.Contain("<packageType name=\"DotnetTool\"").And.Contain("<readme>PACKAGE.md</readme>"), spec);
        Assert.That(zip.GetEntry("PACKAGE.md"), Is.Not.Null);
    }

    [Test]
    public void InstalledTool_Help_ExitsZero()
    {
        var output = LocalFeed.Run(_command, ["--help"], _tmp.Path, 120);
        Assert.That(output, Does.Contain("Usage:").And.Contain("orz-dynamic").And.Contain("--checkpoint_paths"));
    }

    [Test]
    public void InstalledTool_Demo_ExitsZero_WritesEveryCheckpoint()
    {
        var work = _tmp.Sub("demo");
        Directory.CreateDirectory(work);
        var output = LocalFeed.Run(_command, [], work, 600, new Dictionary<string, string?> { ["NO_COLOR"] = "1" });
        Assert.That(output, Does.Contain("No arguments: running the embedded demo"));
        foreach (var checkpoint in new[] { "iter0", "iter1200", "iter2200" })
            Assert.That(File.Exists(Path.Combine(work, "orz_dynamic_log", checkpoint, OutputLayout.Summary)), Is.True, $"{checkpoint}: {output}");
        Assert.That(Directory.GetFiles(Path.Combine(work, "orz_dynamic_log"), "ld_trends_*.png"), Is.Not.Empty, "trend charts");
    }

    [Test]
    public void InstalledTool_SlurmSubmit_ScriptsCallTheInstalledCommand()
    {
        var dir = _tmp.Sub("slurm");
        var path = Path.GetDirectoryName(_command) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        var output = LocalFeed.Run(_command, ["slurm", "submit", "--checkpoint_paths", DemoPaths.CheckpointDirectories[0].Path, "--data", DemoPaths.EvalData,
            "--max_eval_samples", "4", "--output_dir", dir, "--shards", "2", "--dry_run"], _tmp.Path, 300, new Dictionary<string, string?> { ["PATH"] = path });
        Assert.That(File.ReadAllText(Path.Combine(dir, "slurm", "shards.sbatch")), Does.Contain("exec 'orz-dynamic' shard run --plan"), output);
        Assert.That(File.ReadAllText(Path.Combine(dir, "slurm", "merge.sbatch")), Does.Contain("exec 'orz-dynamic' merge"));
    }

    [Test]
    public void LocalToolInManifest_DotnetToolRun_Help()
    {
        var repo = _tmp.Sub("manifest");
        Directory.CreateDirectory(repo);
        // A private packages folder keeps the installed tool out of the user's NuGet cache.
        var env = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _tmp.Sub("packages") };
        LocalFeed.Run("dotnet", ["new", "tool-manifest"], repo, 120, env);
        LocalFeed.Run("dotnet", ["tool", "install", "--local", "--add-source", LocalFeed.WithTool(), "--version", LocalFeed.Version, "OrzDynamic.Cli"], repo, 600, env);
        // The SDK writes the manifest as dotnet-tools.json (older SDKs: .config/dotnet-tools.json).
        var manifest = new[] { Path.Combine(repo, "dotnet-tools.json"), Path.Combine(repo, ".config", "dotnet-tools.json") }.Single(File.Exists);
        Assert.That(File.ReadAllText(manifest), Does.Contain("orzdynamic.cli").And.Contain("orz-dynamic"));
        var output = LocalFeed.Run("dotnet", ["tool", "run", "orz-dynamic", "--", "--help"], repo, 120, env);
        Assert.That(output, Does.Contain("Usage:").And.Contain("--checkpoint_paths"));
    }
}
