using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// PlanMerger on a synthetic plan (2 checkpoints × 2 datasets × 5 samples over 2 shards, batches of 2) whose unit
/// journals are written here: what merge writes is checked against the records themselves, not against another
/// part of the pipeline.
/// </summary>
[TestFixture]
public class PlanMergerTests
{
    private const int Samples = 5;
    private string _dir = "";
    private ShardPlan _plan = null!;
    private List<(string Dataset, int Index)> _keys = null!;
    // checkpoint name → (dataset, index) → (journal line, record)
    private Dictionary<string, Dictionary<(string, int), (string Line, SampleRecord Record)>> _written = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("orz-merge-").FullName;
        (_plan, _keys, _written) = WritePlan(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void MergeWritesEveryCheckpointsOutputsFromTheUnitJournals()
    {
        var result = PlanMerger.Merge(_dir);

        Assert.That(result.IsPartial, Is.False);
        Assert.That(result.Records, Is.EqualTo(2 * 2 * Samples));
        Assert.That(result.Checkpoints.Select(c => c.Name), Is.EqualTo(new[] { "iter0", "iter100" }));
        foreach (var (checkpoint, records) in _written)
        {
            var ckDir = Path.Combine(_dir, checkpoint);
            // results.jsonl: every journal line, byte for byte, in selection order.
            var expectedLines = _keys.Select(k => records[k].Line).ToArray();
            Assert.That(File.ReadAllText(Path.Combine(ckDir, "results.jsonl")), Is.EqualTo(string.Concat(expectedLines.Select(l => l + "\n"))), checkpoint);

            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(ckDir, "summary.json")))!["results"]!;
            foreach (var dataset in new[] { "set0", "set1" })
            {
                var ofSet = records.Where(r => r.Key.Item1 == dataset).Select(r => r.Value.Record).ToArray();
                Assert.That(ofSet, Has.Length.EqualTo(Samples));
                double accuracy = ofSet.Count(r => r.IsCorrect) / (double)Samples;
                Assert.That(summary[$"{dataset}/accuracy"]!.GetValue<double>(), Is.EqualTo(accuracy), $"{checkpoint} {dataset}");
                Assert.That(summary[$"{dataset}/evaluated"]!.GetValue<int>(), Is.EqualTo(Samples));
                // Mean out_token of the correct answers, summed here in index order.
                var correct = ofSet.Where(r => r.IsCorrect).OrderBy(r => r.Index).Select(r => r.LdMetrics!.OutToken).ToArray();
                if (correct.Length > 0)
                    Assert.That(summary[$"{dataset}/ld_correct/out_token"]!.GetValue<double>(), Is.EqualTo(correct.Sum() / correct.Length).Within(1e-12));
                var detail = Path.Combine(ckDir, $"eval_results_{dataset}_{accuracy.ToString("0.0000", CultureInfo.InvariantCulture)}.jsonl");
                Assert.That(File.ReadAllLines(detail), Is.EqualTo(_keys.Where(k => k.Dataset == dataset).Select(k => records[k].Line).ToArray()), detail);
            }
            Assert.That(File.Exists(Path.Combine(ckDir, OutputLayout.Manifest)), Is.True);
        }

        // Two checkpoints: one comparison (iter0 → iter100) per dataset, and the trends.
        var csv = File.ReadAllLines(Path.Combine(_dir, OutputLayout.ComparisonsCsv));
        Assert.That(csv[0], Does.StartWith("dataset,"));
        var rows = csv.Skip(1).ToArray();
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.Select(r => r.Split(',')[0]).Distinct(), Is.EquivalentTo(new[] { "set0", "set1" }));
        var trends = File.ReadAllLines(Path.Combine(_dir, OutputLayout.TrendsCsv));
        Assert.That(trends.Skip(1).Count(l => l.StartsWith("set0,", StringComparison.Ordinal)), Is.GreaterThan(0));
        Assert.That(result.Files, Does.Contain(Path.Combine(_dir, OutputLayout.ComparisonsCsv)).And.Contain(Path.Combine(_dir, OutputLayout.TrendsCsv)));
    }

    [Test]
    public void AMissingUnitIsRefusedUnlessAPartialMergeIsAskedFor()
    {
        var unit = _plan.Units.First(u => u.Checkpoint == 1);
        File.Delete(ShardLayout.UnitJournal(_dir, _plan, unit));

        var ex = Assert.Throws<IncompletePlanException>(() => PlanMerger.Merge(_dir));
        Assert.That(ex!.Missing.Select(m => m.Unit.Id), Is.EqualTo(new[] { unit.Id }));
        Assert.That(File.Exists(Path.Combine(_dir, "iter0", "summary.json")), Is.False, "nothing is written before the refusal");

        var partial = PlanMerger.Merge(_dir, new MergeOptions { Partial = true });
        Assert.That(partial.IsPartial, Is.True);
        Assert.That(partial.Records, Is.EqualTo(2 * 2 * Samples - unit.Samples));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "iter100", "summary.json")))!;
        Assert.That(summary["partial"]!.GetValue<bool>(), Is.True);
        Assert.That(summary["missing_units"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "iter0", "summary.json")))!["missing_units"]!.AsArray(), Is.Empty,
            "the complete checkpoint names no missing unit");
    }

    [Test]
    public void ALineOfAnotherCheckpointInAUnitJournalIsRefusedNamingTheField()
    {
        var unit = _plan.Units.First(u => u.Checkpoint == 1);
        var path = ShardLayout.UnitJournal(_dir, _plan, unit);
        var lines = File.ReadAllLines(path);
        lines[0] = lines[0].Replace("\"checkpoint\":\"iter100\"", "\"checkpoint\":\"iter0\"", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);

        var ex = Assert.Throws<ResultsFileException>(() => PlanMerger.Merge(_dir));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("line 1").And.Contain("field 'checkpoint'"));
    }

    /// <summary>Writes plan.json and every unit journal of a complete synthetic run.</summary>
    private static (ShardPlan, List<(string, int)>, Dictionary<string, Dictionary<(string, int), (string, SampleRecord)>>) WritePlan(string dir)
    {
        var data = new[] { "set0", "set1" }.Select(d => Path.Combine(dir, "data", d + ".jsonl")).ToArray();
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        foreach (var file in data)
            File.WriteAllLines(file, Enumerable.Range(0, Samples).Select(i => string.Create(CultureInfo.InvariantCulture,
                $$"""{"prompt": [{"from": "user", "value": "what is {{i}} plus 1?"}], "final_answer": "{{i + 1}}"}""")));
        var keys = new[] { "set0", "set1" }.SelectMany(d => Enumerable.Range(0, Samples).Select(i => (d, i))).ToList();
        var planned = new List<PlanCheckpoint>();
        var selections = new List<CheckpointSelection>();
        foreach (var iteration in new[] { 0, 100 })
        {
            var key = $"/synthetic/run/iter{iteration}";
            var config = new EvaluatorConfig
            {
                ModelPath = key, CheckpointName = $"iter{iteration}", EvalPromptData = data, BatchSize = 2, EnableVisualization = false,
                GenerationMode = OrzDynamic.Core.Generation.GenerationMode.Static, OutputDir = Path.Combine(dir, $"iter{iteration}"),
            };
            planned.Add(new PlanCheckpoint
            {
                Key = key, Name = config.EffectiveCheckpointName, Config = config,
                Settings = PlanSettings.Of(key, config, "synthetic-tokenizer", ScalarType.BFloat16, ScalarType.Float32),
                Selected = keys.Count, SelectionFingerprint = ShardPlanBuilder.SelectionFingerprint(keys),
                Datasets = [new PlanDataset { Name = "set0" }, new PlanDataset { Name = "set1" }],
            });
            selections.Add(new CheckpointSelection(keys, 0));
        }
        var units = ShardPlanner.Partition(selections, 2, 2);
        var hash = PlanSettings.Hash(planned.Select(p => p.Settings));
        var plan = new ShardPlan
        {
            PlanId = ShardPlan.ComputeId(hash, 2, units, planned), SettingsHash = hash, ShardCount = 2, Checkpoints = planned, Units = units,
        };
        plan.Save(ShardLayout.PlanPath(dir));

        var rng = new Random(7);
        var written = planned.ToDictionary(p => p.Name, _ => new Dictionary<(string, int), (string, SampleRecord)>());
        foreach (var unit in units)
        {
            var name = planned[unit.Checkpoint].Name;
            var path = ShardLayout.UnitJournal(dir, plan, unit);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var lines = new List<string>();
            foreach (var (dataset, index) in ShardPlanner.SamplesOf(unit, selections[unit.Checkpoint].Samples, 2))
            {
                var record = new SampleRecord
                {
                    Dataset = dataset, Index = index, Checkpoint = name, Prompt = "p", Output = "o", Answer = "1", FinalAnswer = "1",
                    IsCorrect = rng.NextDouble() < 0.5, TokenIds = [1, 2, 3], PromptTokens = 4, FinishReason = FinishReasons.Eos,
                    LdMetrics = new LdMetrics
                    {
                        OutToken = -rng.NextDouble() * 10, OutArgmax = -rng.NextDouble(), OutExceptArgmax = -rng.NextDouble() * 30, ANorm = 20 + rng.NextDouble(),
                        ProbGap2Mean = rng.NextDouble(), ProbEnergy = rng.NextDouble(), ArgmaxMatchRate = rng.NextDouble(), ValidTokens = 3,
                    },
                };
                var line = JsonSerializer.Serialize(record, ResultsJournal.LineOptions);
                lines.Add(line);
                written[name][(dataset, index)] = (line, record);
            }
            File.WriteAllLines(path, lines);
        }
        return (plan, keys, written);
    }
}
