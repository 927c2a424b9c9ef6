using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Core.Tests.Demo;

using OrzDynamic.Core.Tests.Cli;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// Sharded runs without Slurm, as real OS processes: `shard plan`, one `shard run` process per shard (concurrently),
/// `merge`; the outputs must equal a single-process run of the same flags on the three demo checkpoints byte for byte
/// (results.jsonl, summary.json, trends.csv, eval_results_*, custom_sentence_*, run_manifest.json). Also: a shard
/// killed with SIGKILL resumes and only its missing units run; bad input exits 2 with one line.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ShardedRunProcessTests
{
    private string _root = "";
    private CliRunner _cli = null!;
    private string _single = "";
    private string[] _runFlags = [];

    [OneTimeSetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "orz-shard-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        _cli = new CliRunner(_root) { Timeout = TimeSpan.FromMinutes(15) };
        // Two data files of uneven size (7 and 10 records) cut from the demo data, so batches of 4 straddle the files.
        var all = JsonNode.Parse(File.ReadAllText(DemoPaths.EvalData))!.AsArray();
        File.WriteAllText(Path.Combine(_root, "arith_a.json"), new JsonArray(all.Take(7).Select(n => n!.DeepClone()).ToArray()).ToJsonString());
        File.WriteAllText(Path.Combine(_root, "arith_b.json"), new JsonArray(all.Skip(7).Take(10).Select(n => n!.DeepClone()).ToArray()).ToJsonString());
        var ckpts = DemoPaths.CheckpointDirectories.Select(c => c.Path).ToArray();
        Assert.That(ckpts, Has.Length.EqualTo(3));
        _runFlags = ["--checkpoint_paths", .. ckpts, "--data", "arith_a.json", "arith_b.json", "--custom_sentence", DemoPaths.CustomSentences,
            "--generate_max_len", "16", "--batch_size", "4"];
        _single = Path.Combine(_root, "single");
        // Bit-identity is promised against a single run with static batching; plans take static batching by default
        // (the plans below leave --batching out, so the forced default is what the comparisons check).
        var (code, _, err) = _cli.Run([.. _runFlags, "--batching", "static", "--output_dir", _single]);
        Assert.That(code, Is.Zero, err);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Plan(string name, int shards)
    {
        var dir = Path.Combine(_root, name);
        string[] args = ["shard", "plan", .. _runFlags, "--output_dir", dir, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var (code, _, err) = _cli.Run(args);
        Assert.That(code, Is.Zero, err);
        return dir;
    }

    private void RunShardsConcurrently(string dir, IEnumerable<int> shards)
    {
        var procs = shards.Select(k => (k, p: _cli.Start(["shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", k.ToString(System.Globalization.CultureInfo.InvariantCulture)]))).ToArray();
        foreach (var (k, p) in procs)
        {
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            Assert.That(p.WaitForExit(TimeSpan.FromMinutes(15)), Is.True);
            Assert.That(p.ExitCode, Is.Zero, $"shard {k}: {output}\n{err.Result}");
            p.Dispose();
        }
    }

    private void AssertSameAsSingle(string dir)
    {
        foreach (var ck in new[] { "iter0", "iter1200", "iter2200" })
        {
            var a = Path.Combine(_single, ck);
            var b = Path.Combine(dir, ck);
            Assert.That(File.ReadAllLines(Path.Combine(b, "results.jsonl")), Is.EqualTo(File.ReadAllLines(Path.Combine(a, "results.jsonl"))), $"{ck}/results.jsonl records");
            Assert.That(File.ReadAllLines(Path.Combine(b, "results.jsonl")), Has.Length.EqualTo(17));
            var names = Directory.GetFiles(a).Select(Path.GetFileName).Where(n => n!.EndsWith(".json", StringComparison.Ordinal) || n.EndsWith(".jsonl", StringComparison.Ordinal)).Order().ToArray();
            Assert.That(names, Does.Contain("summary.json").And.Contain("run_manifest.json").And.Contain("custom_sentence_arith_sentences.jsonl"));
            Assert.That(names.Count(n => n!.StartsWith("eval_results_", StringComparison.Ordinal)), Is.EqualTo(2));
            foreach (var n in names)
                Assert.That(File.ReadAllBytes(Path.Combine(b, n!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, n!))), $"{ck}/{n} bit-identical");
            // Chart names carry a timestamp, so an earlier (partial) merge leaves its charts beside the new ones, as reruns of
            // a single-process run do: at least one comparison chart per dataset.
            Assert.That(Directory.GetFiles(b, "ld_comparison_*.png").Length, Is.GreaterThanOrEqualTo(Directory.GetFiles(a, "ld_comparison_*.png").Length).And.GreaterThan(0), $"{ck} comparison charts");
        }
        foreach (var name in new[] { "trends.csv", "comparisons.csv", "comparisons.json" })
            Assert.That(File.ReadAllBytes(Path.Combine(dir, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_single, name))), $"{name} bit-identical");
        Assert.That(Directory.GetFiles(dir, "ld_trends_*.png").Length, Is.GreaterThanOrEqualTo(Directory.GetFiles(_single, "ld_trends_*.png").Length).And.GreaterThan(0));
    }

    [Test]
    public void ShardsAsSeparateProcesses_ThenMerge_EqualSingleProcessRun()
    {
        var dir = Plan("sharded3", 3);
        RunShardsConcurrently(dir, [0, 1, 2]);
        var (code, stdout, err) = _cli.Run("merge", dir);
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("merged 51 record(s) of 3 checkpoint(s)"));
        AssertSameAsSingle(dir);

        // Merging again rewrites the same files (idempotent), and a complete shard reruns nothing.
        Assert.That(_cli.Run("merge", dir).Code, Is.Zero);
        AssertSameAsSingle(dir);
        var (rerun, rerunOut, _) = _cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "1");
        Assert.That(rerun, Is.Zero);
        Assert.That(rerunOut, Does.Contain("0 sample(s) written"));
    }

    [Test]
    public void ErrorBars_RecordedInPlanOutsideTheHash_MergedTrendChartsEqualSingleRun_MergeFlagOverrides()
    {
        var singleCi = Path.Combine(_root, "single-ci");
        var (sc, _, serr) = _cli.Run([.. _runFlags, "--batching", "static", "--error_bars", "ci", "--output_dir", singleCi]);
        Assert.That(sc, Is.Zero, serr);

        var dir = Path.Combine(_root, "errorbars");
        var (pc, _, perr) = _cli.Run(["shard", "plan", .. _runFlags, "--error_bars", "ci", "--output_dir", dir, "--shards", "2"]);
        Assert.That(pc, Is.Zero, perr);
        var withCi = ShardPlan.Load(Path.Combine(dir, "plan.json"));
        Assert.That(withCi.ErrorBars, Is.EqualTo("ci"));
        var plain = ShardPlan.Load(Path.Combine(Plan("errorbars-default", 2), "plan.json"));
        Assert.That(plain.ErrorBars, Is.EqualTo("std"));
        Assert.That((withCi.SettingsHash, withCi.PlanId), Is.EqualTo((plain.SettingsHash, plain.PlanId)), "charts only: not a result setting");

        RunShardsConcurrently(dir, [0, 1]);
        var (mc, _, merr) = _cli.Run("merge", dir);
        Assert.That(mc, Is.Zero, merr);
        var charts = Directory.GetFiles(singleCi, "ld_trends_*.png").Select(Path.GetFileName).Order().ToArray();
        Assert.That(charts, Has.Length.EqualTo(2));
        foreach (var chart in charts)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(dir, chart!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(singleCi, chart!))), $"{chart}: as the single run with --error_bars ci");
            Assert.That(File.ReadAllBytes(Path.Combine(dir, chart!)), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(_single, chart!))), $"{chart}: ci bands differ from std bands");
        }

        // merge --error_bars overrides the plan: std bands, as the single run without the flag draws them.
        var (oc, _, oerr) = _cli.Run("merge", dir, "--error_bars", "std");
        Assert.That(oc, Is.Zero, oerr);
        foreach (var chart in charts)
            Assert.That(File.ReadAllBytes(Path.Combine(dir, chart!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_single, chart!))), $"{chart}: as the single run with std bands");
        var (bc, _, berr) = _cli.Run("merge", dir, "--error_bars", "wide");
        AssertOneLineExit2(bc, berr, "--error_bars");

        // slurm submit passes an explicit --error_bars on to the merge job.
        var (dc, _, derr) = _cli.Run(["slurm", "submit", .. _runFlags, "--error_bars", "ci", "--output_dir", dir, "--shards", "2", "--dry-run"]);
        Assert.That(dc, Is.Zero, derr);
        Assert.That(File.ReadAllText(Path.Combine(dir, "slurm", "merge.sbatch")), Does.Contain("'--error_bars' 'ci'"));
    }

    [Test]
    public void AnswerProbes_FromLastCheckpoint_ShardsRunTwice_MergeEqualsSingleRun()
    {
        string[] probeFlags = ["--probe_answers_from", "last", "--heatmap_samples", "2"];
        var single = Path.Combine(_root, "single-probes");
        var (sc, _, serr) = _cli.Run([.. _runFlags, .. probeFlags, "--batching", "static", "--output_dir", single]);
        Assert.That(sc, Is.Zero, serr);

        var dir = Path.Combine(_root, "probes");
        var (pc, _, perr) = _cli.Run(["shard", "plan", .. _runFlags, .. probeFlags, "--output_dir", dir, "--shards", "3"]);
        Assert.That(pc, Is.Zero, perr);
        var plan = ShardPlan.Load(Path.Combine(dir, "plan.json"));
        Assert.That(plan.Probes!.Reference, Is.EqualTo("iter2200"));
        Assert.That(plan.Probes.ReferenceCheckpoint, Is.EqualTo(2));
        var probeUnits = plan.Units.Where(u => u.Kind == WorkUnitKind.AnswerProbes).ToArray();
        Assert.That(probeUnits.Select(u => u.Checkpoint), Is.EqualTo(new[] { 0, 1, 2 }));

        // Shard 0 runs first: the reference answers (iter2200, other shards) are not there yet, so its probe unit waits.
        var (c0, out0, err0) = _cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "0");
        Assert.That(c0, Is.Zero, err0);
        Assert.That(out0, Does.Contain("wait for the reference answers"));
        RunShardsConcurrently(dir, [1, 2]);
        var (early, _, earlyErr) = _cli.Run("merge", dir);
        Assert.That(early, Is.EqualTo(2), "a waiting probe unit is missing");
        Assert.That(earlyErr, Does.Contain("answer probes of iter2200"));
        // Second round (what `slurm submit` runs as the dependent array): only the waiting probe units run.
        RunShardsConcurrently(dir, [0, 1, 2]);
        Assert.That(PlanStatus.Read(dir, plan).All(u => u.IsComplete));
        var (mc, mout, merr) = _cli.Run("merge", dir);
        Assert.That(mc, Is.Zero, merr);

        foreach (var ck in new[] { "iter0", "iter1200", "iter2200" })
        {
            var name = "probes_answers_from_iter2200.jsonl";
            Assert.That(File.ReadAllBytes(Path.Combine(dir, ck, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, ck, name))), $"{ck}/{name} bit-identical");
            Assert.That(File.ReadAllBytes(Path.Combine(dir, ck, "results.jsonl")), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, ck, "results.jsonl"))), $"{ck}/results.jsonl");
        }
        var csvs = Directory.GetFiles(single, "*.csv").Select(Path.GetFileName).Order().ToArray();
        Assert.That(csvs, Does.Contain("probe_trends_answers_from_iter2200.csv").And.Contain("trends.csv"));
        foreach (var csv in csvs)
            Assert.That(File.ReadAllBytes(Path.Combine(dir, csv!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, csv!))), $"{csv} bit-identical");
        var charts = Directory.GetFiles(single, "*.png").Select(Path.GetFileName).Order().ToArray();
        Assert.That(charts.Count(c => c!.Contains("heatmap", StringComparison.Ordinal)), Is.EqualTo(2), string.Join(", ", charts));
        Assert.That(Directory.GetFiles(dir, "*.png").Select(Path.GetFileName).Order(), Is.EqualTo(charts));
        foreach (var chart in charts)
            Assert.That(File.ReadAllBytes(Path.Combine(dir, chart!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, chart!))), $"{chart}: as the single run draws it");
        Assert.That(mout, Does.Contain("probe_trends_answers_from_iter2200.csv"));

        // slurm submit plans the second round as a dependent array of the shards that hold probe units.
        var (dc, dout, derr) = _cli.Run(["slurm", "submit", .. _runFlags, .. probeFlags, "--output_dir", Path.Combine(_root, "probes-dry"), "--shards", "3", "--dry-run"]);
        Assert.That(dc, Is.Zero, derr);
        Assert.That(dout, Does.Contain("shards with unfinished units: 0-2; then again, for the answer probes (afterok): 0-2"));
    }

    [Test]
    public void AnswerProbes_FromEarlierOutputDirectory_RunInOneRound_MergeEqualsSingleRun_ChangedReferenceRefused()
    {
        // The reference is the output directory of an earlier evaluation (here: the fixture's single run of iter1200).
        var reference = Path.Combine(_root, "reference-iter1200");
        CopyDirectory(Path.Combine(_single, "iter1200"), reference);
        string[] probeFlags = ["--probe_answers_from", reference];
        var single = Path.Combine(_root, "single-external");
        var (sc, _, serr) = _cli.Run([.. _runFlags, .. probeFlags, "--batching", "static", "--output_dir", single]);
        Assert.That(sc, Is.Zero, serr);

        var dir = Path.Combine(_root, "external");
        var (dc, dout, derr) = _cli.Run(["slurm", "submit", .. _runFlags, .. probeFlags, "--output_dir", dir, "--shards", "2", "--dry-run"]);
        Assert.That(dc, Is.Zero, derr);
        Assert.That(dout, Does.Not.Contain("for the answer probes"), "an earlier run's answers need no second array");
        var plan = ShardPlan.Load(Path.Combine(dir, "plan.json"));
        Assert.That((plan.Probes!.ReferenceCheckpoint, plan.Probes.ReferenceDir, plan.Probes.SetName), Is.EqualTo(((int?)null, reference, "answers_from_reference-iter1200")));
        RunShardsConcurrently(dir, [0, 1]);
        Assert.That(PlanStatus.Read(dir, plan).All(u => u.IsComplete), "one round: nothing waits");
        var (mc, _, merr) = _cli.Run("merge", dir);
        Assert.That(mc, Is.Zero, merr);
        foreach (var ck in new[] { "iter0", "iter1200", "iter2200" })
        {
            var name = "probes_answers_from_reference-iter1200.jsonl";
            Assert.That(File.ReadAllBytes(Path.Combine(dir, ck, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, ck, name))), $"{ck}/{name} bit-identical");
        }
        var singleCsvs = Directory.GetFiles(single, "*.csv").Select(Path.GetFileName).ToArray();
        Assert.That(singleCsvs, Does.Contain("trends.csv").And.Contain("probe_trends_answers_from_reference-iter1200.csv"));
        foreach (var csv in singleCsvs)
            Assert.That(File.ReadAllBytes(Path.Combine(dir, csv!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, csv!))), $"{csv} bit-identical");

        // The reference answers changed after planning: a shard that still has probes to score refuses with one line.
        var dir2 = Path.Combine(_root, "external-changed");
        var (pc, _, perr) = _cli.Run(["shard", "plan", .. _runFlags, .. probeFlags, "--output_dir", dir2, "--shards", "1"]);
        Assert.That(pc, Is.Zero, perr);
        var journal = Path.Combine(reference, "results.jsonl");
        File.WriteAllLines(journal, File.ReadAllLines(journal).Take(10));
        var (rc, _, rerr) = _cli.Run("shard", "run", "--plan", Path.Combine(dir2, "plan.json"), "--index", "0");
        AssertOneLineExit2(rc, rerr, "the reference answers changed since the plan was made");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }

    [Test]
    public void ShardKilledWithSigkill_MergeRefusesThenPartial_ResumeRunsOnlyMissingUnits_OutputsIdentical()
    {
        var dir = Plan("killed", 2);
        var plan = ShardPlan.Load(Path.Combine(dir, "plan.json"));
        var shard0 = plan.Units.Where(u => u.Shard == 0).ToArray();
        int Done0() => shard0.Sum(u => PlanStatus.Done(dir, plan, u));
        int total0 = shard0.Sum(u => u.Samples);

        // SIGKILL shard 0 as soon as its first sample is journaled.
        Assert.That(total0, Is.GreaterThan(4), "shard 0 has more than one batch, so its first journaled batch is not its last");
        using (var p = _cli.Start(["shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "0"]))
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            OutputEvents.WaitFor(p, dir, () => Done0() >= 1, "first journaled sample of shard 0", TimeSpan.FromMinutes(10), () => stdout.Result + stderr.Result);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        int doneBefore = Done0();
        Assert.That(doneBefore, Is.InRange(1, total0 - 1), "killed mid-shard");
        var incomplete = shard0.First(u => PlanStatus.Done(dir, plan, u) < u.Samples);
        var journals = shard0.Where(u => u.Kind == WorkUnitKind.Samples).Select(u => ShardLayout.UnitJournal(dir, plan, u)).ToArray();
        var linesBefore = journals.Select(j => File.Exists(j) ? File.ReadAllLines(j) : []).ToArray();
        RunShardsConcurrently(dir, [1]);

        var (code, _, err) = _cli.Run("merge", dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one-line message");
        Assert.That(err, Does.StartWith("error: ").And.Contain("not complete").And.Contain($"unit {incomplete.Id} (shard 0"));

        var (pc, _, perr) = _cli.Run("merge", dir, "--partial");
        Assert.That(pc, Is.Zero, perr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, plan.Checkpoints[0].Name, "summary.json")))!;
        Assert.That(summary["partial"]!.GetValue<bool>(), Is.True);

        // Resume: only shard 0's missing samples are computed; the journals keep the samples written before the kill.
        var (rc, rout, rerr) = _cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "0");
        Assert.That(rc, Is.Zero, rerr);
        Assert.That(rout, Does.Contain($"{total0 - doneBefore} sample(s) written"));
        Assert.That(linesBefore.Sum(l => l.Length), Is.GreaterThanOrEqualTo(1), "shard 0's journals hold the samples written before the kill");
        for (int j = 0; j < journals.Length; j++)
            Assert.That(File.ReadAllLines(journals[j]).Take(linesBefore[j].Length), Is.EqualTo(linesBefore[j]));
        var (mc, _, merr) = _cli.Run("merge", dir);
        Assert.That(mc, Is.Zero, merr);
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, plan.Checkpoints[0].Name, "summary.json")))!["partial"], Is.Null);
        AssertSameAsSingle(dir);
    }

    [Test]
    public void ShardIndexOutOfRange_Exit2_OneLine()
    {
        var dir = Plan("range", 2);
        var (code, _, err) = _cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "2");
        AssertOneLineExit2(code, err, "shard index 2 is out of range");
        var (envCode, _, envErr) = _cli.Run(["shard", "run", "--plan", Path.Combine(dir, "plan.json")], new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "7" });
        AssertOneLineExit2(envCode, envErr, "shard index 7 is out of range");
    }

    [Test]
    public void PlanUsesStaticBatching_ExplicitContinuousRefused_Exit2()
    {
        var dir = Plan("batching", 2);
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "plan.json")))!;
        Assert.That(plan["checkpoints"]!.AsArray(), Has.Count.EqualTo(3));
        foreach (var ck in plan["checkpoints"]!.AsArray())
            Assert.That(ck!["settings"]!["batching"]!.GetValue<string>(), Is.EqualTo("static"));
        var other = Path.Combine(_root, "batching-continuous");
        var (code, _, err) = _cli.Run(["shard", "plan", .. _runFlags, "--batching", "continuous", "--output_dir", other, "--shards", "2"]);
        AssertOneLineExit2(code, err, "--batching continuous is not supported by sharded runs");
        Assert.That(File.Exists(Path.Combine(other, "plan.json")), Is.False);
    }

    [Test]
    public void PlanEditedToOtherSettings_ShardRefuses_Exit2()
    {
        var dir = Plan("edited", 2);
        var path = Path.Combine(dir, "plan.json");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["checkpoints"]![0]!["config"]!["Temperature"] = 0.5;
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var (code, _, err) = _cli.Run("shard", "run", "--plan", path, "--index", "0");
        AssertOneLineExit2(code, err, "plan was made with other settings");
        Assert.That(err, Does.Contain("temperature"));
    }

    [Test]
    public void SubmitWithOtherSettingsIntoExistingPlanDir_Exit2()
    {
        var dir = Plan("resettings", 2);
        var (code, _, err) = _cli.Run(new[] { "slurm", "submit" }.Concat(_runFlags.Select(a => a == "16" ? "20" : a)).Concat(["--output_dir", dir, "--shards", "2", "--dry-run"]));
        AssertOneLineExit2(code, err, "holds a plan made with other settings");
        Assert.That(err, Does.Contain("generate_max_len: '16' in the plan, '20' now"));
    }

    [Test]
    public void ForeignJournalInDirectory_MergeAndShardRefuse_Exit2()
    {
        var dir = Plan("foreign", 2);
        var shardDir = Path.Combine(dir, "shards", "shard-0000");
        Directory.CreateDirectory(shardDir);
        File.WriteAllText(Path.Combine(shardDir, "unit-00000.0123456789abcdef.jsonl"), "{\"dataset\":\"arith_a\",\"index\":0}\n");
        var (code, _, err) = _cli.Run("merge", dir);
        AssertOneLineExit2(code, err, "journal of another plan (plan id 0123456789abcdef");
        var (sc, _, serr) = _cli.Run("shard", "run", "--plan", Path.Combine(dir, "plan.json"), "--index", "1");
        AssertOneLineExit2(sc, serr, "journal of another plan");
    }

    [Test]
    public void SlurmSubmit_WithoutSbatch_Exit2_SaysShardRunWorks_DryRunWritesScripts()
    {
        var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/bin/dotnet")!;
        var noSlurm = new Dictionary<string, string?> { ["PATH"] = dotnetDir };
        var dir = Path.Combine(_root, "submit");
        var (code, _, err) = _cli.Run(new[] { "slurm", "submit" }.Concat(_runFlags).Concat(["--output_dir", dir, "--shards", "3"]), noSlurm);
        AssertOneLineExit2(code, err, "Slurm was not found");
        Assert.That(err, Does.Contain("`shard run"));

        var (dc, dout, derr) = _cli.Run(new[] { "slurm", "submit" }.Concat(_runFlags)
            .Concat(["--output_dir", dir, "--shards", "3", "--gres", "gpu:1", "--time", "01:00:00", "--mem", "8G", "--sbatch-arg=--account=lab", "--dry_run"]), noSlurm);
        Assert.That(dc, Is.Zero, derr);
        Assert.That(dout, Does.Contain("dry run"));
        var script = File.ReadAllText(Path.Combine(dir, "slurm", "shards.sbatch"));
        Assert.That(script, Does.Contain("#SBATCH --array=0-2").And.Contain("#SBATCH --gres=gpu:1").And.Contain("#SBATCH --time=01:00:00")
            .And.Contain("#SBATCH --mem=8G").And.Contain("#SBATCH --account=lab").And.Contain("shard run --plan"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "slurm", "merge.sbatch")), Does.Contain(" merge ").And.Not.Contain("gres"));
        Assert.That(File.Exists(Path.Combine(dir, "plan.json")), Is.True);
    }

    private static void AssertOneLineExit2(int code, string err, string expected)
    {
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one-line message: " + err);
        Assert.That(err, Does.StartWith("error: ").And.Contain(expected).And.Not.Contain("   at "));
    }
}
