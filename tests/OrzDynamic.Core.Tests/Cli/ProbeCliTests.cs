using OrzDynamic.Core.Results;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// The CLI's answer probes on the committed demo checkpoints, run as real processes: the acceptance ordering, the
/// outputs, SIGKILL in the middle of the probes followed by a rerun, and bad input.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ProbeCliTests
{
    private TempDirectory _tmp = null!;
    private CliRunner _cli = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _tmp = new TempDirectory();
        _cli = new CliRunner(_tmp.Path) { Timeout = TimeSpan.FromMinutes(10) };
    }

    [OneTimeTearDown]
    public void TearDown() => _tmp.Dispose();

    private Process Start(params string[] args) => _cli.Start(args);

    private (int Code, string Out, string Err) Run(params string[] args) => _cli.Run(args);

    /// <summary>A small demo run (embedded demo checkpoints, 16 prompts) with extra options.</summary>
    private static string[] DemoArgs(string outDir, params string[] extra) => DemoArgs(outDir, 16, extra);

    private static string[] DemoArgs(string outDir, int samples, params string[] extra) =>
        ["--output_dir", outDir, "--max_eval_samples", samples.ToString(CultureInfo.InvariantCulture), "--generate_max_len", "40", .. extra];

    private static Dictionary<(string Source, string Stratum, string Metric), SortedDictionary<int, double>> ReadProbeCsv(string path)
    {
        var result = new Dictionary<(string, string, string), SortedDictionary<int, double>>();
        foreach (var line in File.ReadAllLines(path).Skip(1))
        {
            var f = line.Split(',');
            var key = (f[0], f[1], f[2]);
            if (!result.TryGetValue(key, out var s)) result[key] = s = new SortedDictionary<int, double>();
            s[int.Parse(f[3], CultureInfo.InvariantCulture)] = double.Parse(f[5], CultureInfo.InvariantCulture);
        }
        return result;
    }

    [Test]
    public void ProbeAnswersFromLast_OnTheDemo_FinalAnswersGrowMoreLikely_WithTrendsChartsAndHeatmaps()
    {
        var outDir = _tmp.Sub("accept");
        var (code, stdout, stderr) = Run(DemoArgs(outDir, "--probe_answers_from", "last", "--heatmap_samples", "2"));
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.Contain("Running the embedded demo with the options given"));

        var set = OutputLayout.AnswerSet("iter2200");
        var csv = ReadProbeCsv(Path.Combine(outDir, OutputLayout.ProbeTrendsCsv(set)));
        Assert.That(csv[("arith_demo", Strata.All, LdMetricKeys.OutToken)].Keys, Is.EqualTo(new[] { 0, 1200, 2200 }));
        var outToken = csv[("arith_demo", Strata.All, LdMetricKeys.OutToken)].Values.ToArray();
        var energy = csv[("arith_demo", Strata.All, LdMetricKeys.ProbEnergy)].Values.ToArray();
        Assert.That(outToken[0], Is.LessThan(outToken[1]), "out_token iter0 < iter1200");
        Assert.That(outToken[1], Is.LessThan(outToken[2]), "out_token iter1200 < iter2200");
        Assert.That(energy[0], Is.GreaterThan(energy[1]), "prob_energy iter0 > iter1200");
        Assert.That(energy[1], Is.GreaterThan(energy[2]), "prob_energy iter1200 > iter2200");

        // One journal per checkpoint, each with every answer of the reference.
        int answers = File.ReadAllLines(Path.Combine(outDir, "iter2200", OutputLayout.Journal)).Length;
        foreach (var c in new[] { "iter0", "iter1200", "iter2200" })
            Assert.That(File.ReadAllLines(Path.Combine(outDir, c, OutputLayout.ProbeJournal(set))), Has.Length.EqualTo(answers), c);

        // trends.csv: datasets, the probe series and every custom sentence file (the pairs file by group).
        var trends = File.ReadAllLines(Path.Combine(outDir, OutputLayout.TrendsCsv));
        Assert.That(trends[0], Is.EqualTo("dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change"));
        int columns = trends[0].Split(',').Length;
        Assert.That(trends.Where(l => !l.Contains('"')), Has.All.Matches<string>(l => l.Split(',').Length == columns), "every row has the header's columns");
        Assert.That(trends, Has.Some.StartsWith("arith_demo,correct,out_token,"));
        Assert.That(trends, Has.Some.StartsWith($"{set}/arith_demo,all,out_token,2200,"));
        Assert.That(trends, Has.Some.StartsWith("custom_sentence_arith_sentences,all,prob_energy,1200,"));
        foreach (var group in new[] { "chosen", "rejected", "rephrase" })
            Assert.That(trends, Has.Some.StartsWith($"custom_sentence_arith_pairs,{group},out_token,0,"), group);
        Assert.That(trends, Has.Some.StartsWith("custom_sentence_arith_pairs,item:chosen 40+7=47,out_token,"));

        Assert.That(Directory.GetFiles(outDir, "ld_fixed_*.png"), Has.Length.EqualTo(3), "two custom sentence files + one probed dataset");
        var heatmaps = Directory.GetFiles(outDir, "ld_heatmap_arith_demo_*.png");
        Assert.That(heatmaps, Has.Length.EqualTo(2));
        foreach (var h in heatmaps) Assert.That(new FileInfo(h).Length, Is.GreaterThan(20_000));
    }

    [Test]
    public void SigkillInTheMiddleOfTheProbes_ThenRerun_GivesIdenticalOutputs()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("needs POSIX signals");
        var set = OutputLayout.AnswerSet("iter2200");
        string[] Args(string dir) => DemoArgs(dir, 32, "--probe_answers_from", "last", "--greedy");

        var clean = _tmp.Sub("kill-clean");
        var (code, o, e) = Run(Args(clean));
        Assert.That(code, Is.EqualTo(0), o + e);

        var killed = _tmp.Sub("kill-killed");
        using (var p = Start(Args(killed)))
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var reference = Path.Combine(killed, "iter2200", OutputLayout.Journal);
            var journals = new[] { "iter2200", "iter0", "iter1200" }.Select(c => Path.Combine(killed, c, OutputLayout.ProbeJournal(set))).ToArray();
            // The event: the first probe line of a checkpoint is journaled (the reference answers are complete by then).
            // SIGKILL right then: no handler runs, no flush.
            OutputEvents.WaitFor(p, killed, () => journals.Any(j => OutputEvents.CompleteLines(j) >= 1), "first probe line in " + string.Join(", ", journals),
                TimeSpan.FromMinutes(8), () => stdout.Result + stderr.Result);
            p.Kill();
            Assert.That(p.WaitForExit(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(p.ExitCode, Is.EqualTo(137), "killed by SIGKILL");
            int total = OutputEvents.CompleteLines(reference);
            Assert.That(total, Is.EqualTo(32), "the reference run's answers");
            var counts = journals.Select(OutputEvents.CompleteLines).ToArray();
            TestContext.Progress.WriteLine($"killed with probe lines {string.Join(", ", counts)} of {total}");
            Assert.That(counts.Sum(), Is.InRange(1, 3 * total - 1), "killed in the middle of the probes");
        }

        var (code2, o2, e2) = Run(Args(killed));
        Assert.That(code2, Is.EqualTo(0), o2 + e2);
        foreach (var c in new[] { "iter0", "iter1200", "iter2200" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(killed, c, OutputLayout.ProbeJournal(set))),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(clean, c, OutputLayout.ProbeJournal(set)))), $"{c} probe journal");
        }
        Assert.That(File.ReadAllText(Path.Combine(killed, OutputLayout.ProbeTrendsCsv(set))), Is.EqualTo(File.ReadAllText(Path.Combine(clean, OutputLayout.ProbeTrendsCsv(set)))));
        Assert.That(File.ReadAllText(Path.Combine(killed, OutputLayout.TrendsCsv)), Is.EqualTo(File.ReadAllText(Path.Combine(clean, OutputLayout.TrendsCsv))));
    }

    [Test]
    public void ReferenceDirectoryWithoutResults_Exit2_OneLine()
    {
        var empty = _tmp.Sub("no-results");
        Directory.CreateDirectory(empty);
        var (code, _, err) = Run(DemoArgs(_tmp.Sub("bad-ref"), "--probe_answers_from", empty));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain(empty).And.Contain("results.jsonl").And.Not.Contain("   at "));
    }

    [Test]
    public void ReferenceResultsWithoutTheDataset_Exit2_NamesTheDataset()
    {
        // An earlier output directory whose results.jsonl holds answers of another dataset only.
        var refDir = _tmp.Sub("other-ref");
        Directory.CreateDirectory(refDir);
        File.WriteAllText(Path.Combine(refDir, OutputLayout.Journal),
            JsonSerializer.Serialize(new { dataset = "math500", index = 0, prompt = "q", output = "a", token_ids = new[] { 1, 2 } }) + "\n");
        var (code, _, err) = Run(DemoArgs(_tmp.Sub("other-out"), "--probe_answers_from", refDir));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain("arith_demo").And.Contain("results.jsonl").And.Not.Contain("   at "));
    }

    [Test]
    public void HeatmapSampleIndexOutOfRange_Exit2_BeforeTheOtherCheckpoints()
    {
        var outDir = _tmp.Sub("bad-heatmap");
        var (code, _, err) = Run(DemoArgs(outDir, "--probe_answers_from", "last", "--heatmap_samples", "arith_demo:100000"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain("arith_demo:100000").And.Contain("out of range").And.Not.Contain("   at "));
        Assert.That(Directory.Exists(Path.Combine(outDir, "iter0")), Is.False, "stopped right after the reference checkpoint");
    }

    [Test]
    public void MalformedHeatmapSamples_OrHeatmapsWithoutProbes_Exit2()
    {
        var (code, _, err) = Run(DemoArgs(_tmp.Sub("bad-spec"), "--probe_answers_from", "last", "--heatmap_samples", "arith_demo-3"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("arith_demo-3"));
        (code, _, err) = Run(DemoArgs(_tmp.Sub("no-probes"), "--heatmap_samples", "2"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("--probe_answers_from"));
    }

    [Test]
    public void CustomSentenceGroupWithOneSentence_WarnsAndTheRunContinues()
    {
        var file = _tmp.Sub("lonely.jsonl");
        File.WriteAllLines(file,
        [
            JsonSerializer.Serialize(new { prompt = "What is 2 + 3?", response = " 5", group = "chosen" }),
            JsonSerializer.Serialize(new { prompt = "What is 2 + 3?", response = " 6", group = "rejected" }),
            JsonSerializer.Serialize(new { prompt = "What is 2 + 3?", response = " five", group = "rephrase" }),
            JsonSerializer.Serialize(new { prompt = "What is 2 + 2?", response = " 4", group = "chosen" }),
        ]);
        var ckpts = DemoPaths.CheckpointDirectories.Select(c => c.Path).ToArray();
        var outDir = _tmp.Sub("lonely-out");
        var (code, stdout, stderr) = Run(["--checkpoint_paths", ckpts[0], ckpts[^1], "--custom_sentence", file, "--output_dir", outDir]);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        var all = string.Join("\n", Directory.GetFiles(outDir, "eval_*.log").Select(File.ReadAllText));
        Assert.That(all, Does.Contain("group 'rejected' has a single sentence").And.Contain("group 'rephrase' has a single sentence"));
        Assert.That(all, Does.Not.Contain("group 'chosen' has a single sentence"));
        var trends = File.ReadAllLines(Path.Combine(outDir, OutputLayout.TrendsCsv));
        Assert.That(trends, Has.Some.StartsWith("custom_sentence_lonely,rejected,out_token,"));
    }
}
