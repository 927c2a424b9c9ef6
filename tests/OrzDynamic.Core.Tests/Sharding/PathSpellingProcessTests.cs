using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Cli;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// Paths are one setting however they are spelt: the CLI, run from the repository root with relative checkpoint and
/// data paths (the tokenizer defaults to the checkpoint directory), writes a run_manifest.json that a rerun with the
/// absolute spelling and trailing slashes accepts and resumes; and a sharded run planned with the relative spelling
/// and run from another directory merges into a run_manifest.json (and results) byte-identical to the single run's.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class PathSpellingProcessTests
{
    private const string Checkpoint = "samples/demo-checkpoints/iter0";
    private const string Data = "samples/demo-data/arith_demo.json";
    private static readonly string[] Common = ["--max_eval_samples", "4", "--generate_max_len", "16", "--batch_size", "2"];
    private TempDirectory _tmp = null!;
    private CliRunner _fromRepo = null!;
    private CliRunner _elsewhere = null!;
    private string _single = "";

    private string AbsoluteCheckpoint => Path.Combine(_fromRepo.RepoRoot, "samples", "demo-checkpoints", "iter0");

    [OneTimeSetUp]
    public void SingleRunWithRelativePaths()
    {
        _tmp = new TempDirectory();
        _fromRepo = new CliRunner(new CliRunner(_tmp.Path).RepoRoot);
        _elsewhere = new CliRunner(_tmp.Path);
        _single = _tmp.Sub("single");
        var (code, stdout, err) = _fromRepo.Run(["--checkpoint_paths", Checkpoint, "--data", Data, .. Common, "--batching", "static", "--output_dir", _single]);
        Assert.That(code, Is.Zero, stdout + err);
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    private string File(string dir, string name) => Path.Combine(dir, "iter0", name);

    [Test]
    public void Manifest_NamesCheckpointAndTokenizerAbsolute()
    {
        var manifest = System.IO.File.ReadAllText(File(_single, OutputLayout.Manifest));
        Assert.That(manifest, Does.Contain($"\"model_path\": \"{AbsoluteCheckpoint}\""));
        Assert.That(manifest, Does.Contain($"\"tokenizer\": \"{Path.Combine(AbsoluteCheckpoint, "tokenizer.json")}\""), manifest);
    }

    [Test]
    public void RerunWithAbsolutePathsAndTrailingSlashes_IsAccepted_AndResumes()
    {
        var before = CliRunner.Snapshot(_single);
        var absoluteData = Path.Combine(_fromRepo.RepoRoot, Data);
        var (code, stdout, err) = _elsewhere.Run(["--checkpoint_paths", AbsoluteCheckpoint + "/", "--data", absoluteData, .. Common, "--batching", "static",
            "--tokenizer_path", AbsoluteCheckpoint + "//", "--output_dir", _single + "/"]);
        Assert.That(code, Is.Zero, stdout + err);
        Assert.That(stdout, Does.Contain("Resuming: 4 of 4 samples"));
        Assert.That(CliRunner.Snapshot(_single).Where(kv => !kv.Key.EndsWith(".png", StringComparison.Ordinal)),
            Is.EquivalentTo(before.Where(kv => !kv.Key.EndsWith(".png", StringComparison.Ordinal))), "nothing recomputed, the manifest unchanged");

        var (dotCode, dotOut, dotErr) = _fromRepo.Run(["--checkpoint_paths", "./" + Checkpoint + "/", "--data", "./" + Data, .. Common, "--batching", "static",
            "--output_dir", _single]);
        Assert.That(dotCode, Is.Zero, dotOut + dotErr);
        Assert.That(dotOut, Does.Contain("Resuming: 4 of 4 samples"));
    }

    [Test]
    public void ShardedRunWithRelativePaths_MergedManifestAndResults_ByteIdenticalToSingleRun()
    {
        var dir = _tmp.Sub("sharded");
        var (pc, pout, perr) = _fromRepo.Run(["shard", "plan", "--checkpoint_paths", Checkpoint, "--data", Data, .. Common, "--output_dir", dir, "--shards", "2"]);
        Assert.That(pc, Is.Zero, pout + perr);
        foreach (var k in new[] { "0", "1" })
        {
            var (rc, rout, rerr) = _elsewhere.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", k);
            Assert.That(rc, Is.Zero, rout + rerr);
        }
        var (mc, mout, merr) = _elsewhere.Run("merge", dir);
        Assert.That(mc, Is.Zero, mout + merr);
        foreach (var name in new[] { OutputLayout.Manifest, OutputLayout.Journal, OutputLayout.Summary })
            Assert.That(System.IO.File.ReadAllBytes(File(dir, name)), Is.EqualTo(System.IO.File.ReadAllBytes(File(_single, name))), $"{name} byte-identical");
    }
}
