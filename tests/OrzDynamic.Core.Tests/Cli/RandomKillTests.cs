using OrzDynamic.Core.Results;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Randomized kill test: SIGKILLs the CLI at 10 random moments of a three-checkpoint demo run (each right after a
/// randomly chosen number of samples is journaled), resumes each time, and checks that the final outputs equal an
/// uninterrupted run's: the same samples (answers, token ids, correctness) and every metric within 1e-5. The seed is printed, and ORZ_KILL_SEED replays a failing sequence.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RandomKillTests
{
    private const double Tolerance = 1e-5;

    [Test]
    public void TenRandomKills_ResumedRunEqualsUninterruptedRun()
    {
        var root = Directory.CreateTempSubdirectory("orz-kill-").FullName;
        try
        {
            var cli = new CliRunner(root);
            var samples = Path.Combine(cli.RepoRoot, "samples");
            var checkpoints = Directory.GetDirectories(Path.Combine(samples, "demo-checkpoints"), "iter*").Order(StringComparer.Ordinal).ToArray();
            if (checkpoints.Length < 2) Assert.Ignore("demo checkpoints missing under " + samples);
            var custom = Directory.GetFiles(Path.Combine(samples, "demo-custom"), "*.json*");
            string[] Args(string outDir) =>
            [
                "--checkpoint_paths", .. checkpoints, "--data", .. Directory.GetFiles(Path.Combine(samples, "demo-data"), "*.json"),
                "--custom_sentence", .. custom, "--output_dir", outDir, "--max_eval_samples", "8", "--generate_max_len", "24",
                "--batch_size", "4", "--seed", "11",
            ];

            var clean = Path.Combine(root, "clean");
            var first = cli.Run(Args(clean));
            Assert.That(first.Code, Is.EqualTo(0), first.Out + first.Err);
            string[] Journals(string outDir) => checkpoints.Select(c => Path.Combine(outDir, Path.GetFileName(c), OutputLayout.Journal)).ToArray();
            int total = OutputEvents.CompleteLines(Journals(clean));
            Assert.That(total, Is.EqualTo(checkpoints.Length * 8), "eight samples per checkpoint");

            int seed = int.TryParse(Environment.GetEnvironmentVariable("ORZ_KILL_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
            TestContext.Out.WriteLine($"kill seed {seed} (ORZ_KILL_SEED={seed} replays it); {total} samples in all");
            var rng = new Random(seed);
            // Ten moments on the run's own timeline: after the k-th journaled sample (counted over every checkpoint), k
            // random in [0, total - 4], so at least the last batch of 4 is still to come when the kill lands. A moment at
            // or below what is already journaled kills the resumed process right after its start-up (valid too).
            var moments = Enumerable.Range(0, 10).Select(_ => rng.Next(0, total - 3)).Order().ToArray();
            var killed = Path.Combine(root, "killed");
            var journals = Journals(killed);
            int kills = 0;
            foreach (var moment in moments)
            {
                using var p = cli.Start(Args(killed));
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                OutputEvents.WaitFor(p, killed, () => OutputEvents.CompleteLines(journals) >= moment, $"sample {moment} of {total} journaled",
                    TimeSpan.FromMinutes(5), () => stdout.Result + stderr.Result);
                p.Kill();   // SIGKILL on Unix
                p.WaitForExit();
                Assert.That(p.ExitCode, Is.EqualTo(137), $"killed by SIGKILL at sample {moment}: " + stdout.Result + stderr.Result);
                kills++;
                TestContext.Out.WriteLine($"killed at {OutputEvents.CompleteLines(journals)} journaled samples (moment {moment})");
            }
            Assert.That(kills, Is.EqualTo(10));
            Assert.That(OutputEvents.CompleteLines(journals), Is.LessThan(total), "the last kill left samples to do");
            var final = cli.Run(Args(killed));
            Assert.That(final.Code, Is.EqualTo(0), final.Out + final.Err);
            Assert.That(OutputEvents.CompleteLines(journals), Is.EqualTo(total));

            foreach (var ckpt in checkpoints.Select(c => Path.GetFileName(c)))
            {
                var a = Path.Combine(clean, ckpt);
                var b = Path.Combine(killed, ckpt);
                var ja = JournalByKey(Path.Combine(a, OutputLayout.Journal));
                var jb = JournalByKey(Path.Combine(b, OutputLayout.Journal));
                Assert.That(ja, Has.Count.EqualTo(8), $"{ckpt}: the uninterrupted run's samples");
                Assert.That(jb.Keys, Is.EqualTo(ja.Keys), $"{ckpt}: the same samples, each once");
                foreach (var key in ja.Keys)
                {
                    foreach (var field in new[] { "output", "token_ids", "iscorrect", "final_answer", "finish_reason" })
                        Assert.That(jb[key][field]?.ToJsonString(), Is.EqualTo(ja[key][field]?.ToJsonString()), $"{ckpt} {key} {field}");
                    AssertJsonClose(ja[key], jb[key], $"{ckpt} {key}");
                }
                AssertJsonClose(Json(Path.Combine(a, OutputLayout.Summary)), Json(Path.Combine(b, OutputLayout.Summary)), $"{ckpt} summary");
                var perSample = Directory.GetFiles(a, "custom_sentence_*.jsonl").Concat(Directory.GetFiles(a, "eval_results_*.jsonl")).ToArray();
                Assert.That(perSample, Has.Length.EqualTo(custom.Length + 1), $"{ckpt}: one file per custom sentence file and one eval_results file");
                foreach (var f in perSample)
                {
                    var other = Path.Combine(b, Path.GetFileName(f));
                    Assert.That(File.Exists(other), Is.True, other);
                    var la = File.ReadAllLines(f);
                    var lb = File.ReadAllLines(other);
                    Assert.That(lb, Has.Length.EqualTo(la.Length), other);
                    for (int i = 0; i < la.Length; i++) AssertJsonClose(JsonNode.Parse(la[i]), JsonNode.Parse(lb[i]), $"{other}:{i + 1}");
                }
            }
            var ta = File.ReadAllLines(Path.Combine(clean, OutputLayout.TrendsCsv));
            var tb = File.ReadAllLines(Path.Combine(killed, OutputLayout.TrendsCsv));
            Assert.That(ta, Has.Length.GreaterThan(1), "trends.csv has data rows");
            Assert.That(tb, Has.Length.EqualTo(ta.Length));
            for (int i = 0; i < ta.Length; i++)
            {
                var ca = ta[i].Split(',');
                var cb = tb[i].Split(',');
                Assert.That(cb, Has.Length.EqualTo(ca.Length));
                for (int c = 0; c < ca.Length; c++)
                {
                    if (double.TryParse(ca[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                        && double.TryParse(cb[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                        Assert.That(Close(x, y), Is.True, $"trends.csv line {i + 1} column {c + 1}: {x} vs {y}");
                    else Assert.That(cb[c], Is.EqualTo(ca[c]), $"trends.csv line {i + 1} column {c + 1}");
                }
            }
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    private static SortedDictionary<string, JsonNode> JournalByKey(string path)
    {
        var map = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var node = JsonNode.Parse(line)!;
            var key = $"{node["dataset"]}#{(int)node["index"]!:D6}";
            Assert.That(map.TryAdd(key, node), Is.True, $"{path}: {key} twice");
        }
        return map;
    }

    private static bool Close(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || a == b || Math.Abs(a - b) <= Tolerance;

    /// <summary>Same structure and strings; numbers within <see cref="Tolerance"/>.</summary>
    private static void AssertJsonClose(JsonNode? a, JsonNode? b, string where)
    {
        switch (a)
        {
            case null:
                Assert.That(b, Is.Null, where);
                return;
            case JsonObject oa:
                var ob = b as JsonObject;
                Assert.That(ob, Is.Not.Null, where);
                Assert.That(ob!.Select(kv => kv.Key).Order(), Is.EqualTo(oa.Select(kv => kv.Key).Order()), where);
                foreach (var (k, v) in oa) AssertJsonClose(v, ob![k], where + "." + k);
                return;
            case JsonArray aa:
                var ab = b as JsonArray;
                Assert.That(ab, Is.Not.Null, where);
                Assert.That(ab!, Has.Count.EqualTo(aa.Count), where);
                for (int i = 0; i < aa.Count; i++) AssertJsonClose(aa[i], ab![i], $"{where}[{i}]");
                return;
            default:
                var va = a.AsValue();
                if (va.TryGetValue<double>(out var x) && b is JsonValue vb && vb.TryGetValue<double>(out var y))
                    Assert.That(Close(x, y), Is.True, $"{where}: {x} vs {y}");
                else Assert.That(b?.ToJsonString(), Is.EqualTo(a.ToJsonString()), where);
                return;
        }
    }
}
