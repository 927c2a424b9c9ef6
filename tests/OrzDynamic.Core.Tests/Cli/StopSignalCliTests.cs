using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// SIGTERM (what Slurm, Kubernetes, systemd and <c>timeout</c> send) stops a plain run and a shard like the first
/// Ctrl-C: at 10 random moments, each right after a randomly chosen number of samples is journaled and once the process
/// holds its output directory (so its handlers are installed), the process exits 130 with the one cancel message; the
/// rerun then equals an uninterrupted run. ORZ_TERM_SEED replays a sequence.
/// </summary>
[TestFixture]
[NonParallelizable]
public class StopSignalCliTests : TempRootCliTests
{
    private const string Message = "Cancelling after the current sample… (Ctrl-C or SIGTERM again to stop at once)";
    protected override string Prefix => "orz-term-";

    private static string[] Flags(string outDir) =>
        ["--checkpoint_paths", DemoPaths.CheckpointDirectories[0].Path, DemoPaths.CheckpointDirectories[1].Path, "--data", DemoPaths.EvalData,
            "--output_dir", outDir, "--max_eval_samples", "12", "--generate_max_len", "16", "--batch_size", "4", "--batching", "static"];

    [Test]
    public void Run_TenSigterms_Exit130_ResumedRunEqualsUninterrupted()
    {
        var clean = Path.Combine(Root, "clean");
        Assert.That(Cli.Run(Flags(clean)).Code, Is.Zero);
        var names = DemoPaths.CheckpointDirectories.Take(2).Select(c => Path.GetFileName(c.Path)).ToArray();
        var dir = Path.Combine(Root, "termed");
        var journals = names.Select(n => Path.Combine(dir, n, OutputLayout.Journal)).ToArray();
        // The lock of the checkpoint folder being worked on names this process once its handlers are installed.
        var owners = names.Select(n => Path.Combine(dir, n, OutputDirectoryLock.OwnerFileName)).Append(Path.Combine(dir, OutputDirectoryLock.OwnerFileName)).ToArray();
        TenSigterms(Flags(dir), dir, journals, owners, 24);
        var final = Cli.Run(Flags(dir));
        Assert.That(final.Code, Is.Zero, final.Err);
        foreach (var n in names)
            AssertSameRecords(Path.Combine(clean, n, OutputLayout.Journal), Path.Combine(dir, n, OutputLayout.Journal));
    }

    [Test]
    public void ShardRun_TenSigterms_Exit130_ResumedShardEqualsUninterrupted()
    {
        string Plan(string name)
        {
            var d = Path.Combine(Root, name);
            var r = Cli.Run(["shard", "plan", .. Flags(d), "--shards", "1"]);
            Assert.That(r.Code, Is.Zero, r.Err);
            return d;
        }
        var clean = Plan("plan-clean");
        string[] Run(string d) => ["shard", "run", "--plan", Path.Combine(d, "plan.json"), "--index", "0"];
        Assert.That(Cli.Run(Run(clean)).Code, Is.Zero);
        var dir = Plan("plan-termed");
        var shard = Path.Combine(dir, OutputLayout.ShardFolder(0));
        string[] Journals() => Directory.Exists(shard) ? Directory.GetFiles(shard, "*.jsonl").Where(f => !f.Contains(".probes", StringComparison.Ordinal)).ToArray() : [];
        TenSigterms(Run(dir), dir, null, [Path.Combine(shard, OutputDirectoryLock.OwnerFileName)], 24, Journals);
        var final = Cli.Run(Run(dir));
        Assert.That(final.Code, Is.Zero, final.Err);
        var cleanShard = Path.Combine(clean, OutputLayout.ShardFolder(0));
        foreach (var f in Directory.GetFiles(cleanShard, "*.jsonl"))
            AssertSameRecords(f, Path.Combine(shard, Path.GetFileName(f)));
    }

    private void TenSigterms(string[] args, string dir, string[]? journals, string[] owners, int total, Func<string[]>? journalList = null)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("ORZ_TERM_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
        TestContext.Out.WriteLine($"SIGTERM seed {seed} (ORZ_TERM_SEED={seed} replays it)");
        var rng = new Random(seed);
        var moments = Enumerable.Range(0, 10).Select(_ => rng.Next(0, total - 3)).Order().ToArray();
        int Lines() => OutputEvents.CompleteLines(journals ?? journalList!());
        foreach (var moment in moments)
        {
            using var p = Cli.Start(args);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var self = $"process {p.Id} on host ";
            OutputEvents.WaitFor(p, dir, () => Lines() >= moment && owners.Any(o => File.Exists(o) && File.ReadAllText(o).StartsWith(self, StringComparison.Ordinal)),
                $"sample {moment} journaled by process {p.Id}", TimeSpan.FromMinutes(5), () => stdout.Result + stderr.Result);
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "the process stops after the current sample");
            Assert.That(p.ExitCode, Is.EqualTo(130), $"SIGTERM at sample {moment}: {stdout.Result}{stderr.Result}");
            Assert.That(stderr.Result, Does.StartWith(Message), "the cancel message");
            TestContext.Out.WriteLine($"SIGTERM at {Lines()} journaled samples (moment {moment})");
        }
        Assert.That(Lines(), Is.LessThan(total), "the last signal left samples to do");
    }

    /// <summary>The same samples with the same answers, correctness and token ids; numbers within 1e-5 (resumed batches differ).</summary>
    private static void AssertSameRecords(string expectedPath, string actualPath)
    {
        static Dictionary<string, JsonNode> ByKey(string path) => File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!).ToDictionary(n => $"{n["dataset"]}#{(int)n["index"]!}");
        var expected = ByKey(expectedPath);
        var actual = ByKey(actualPath);
        Assert.That(actual.Keys.Order(), Is.EqualTo(expected.Keys.Order()), actualPath);
        foreach (var (key, e) in expected)
        {
            foreach (var field in new[] { "output", "token_ids", "iscorrect", "final_answer" })
                Assert.That(actual[key][field]?.ToJsonString(), Is.EqualTo(e[field]?.ToJsonString()), $"{actualPath} {key} {field}");
            foreach (var (name, value) in e.AsObject())
                if (value is JsonValue v && v.TryGetValue<double>(out var x) && actual[key][name] is JsonValue w && w.TryGetValue<double>(out var y))
                    Assert.That(Math.Abs(x - y) <= 1e-5 || x.Equals(y), Is.True, $"{actualPath} {key} {name}: {x} vs {y}");
        }
    }
}
