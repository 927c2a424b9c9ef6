using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// Several answers per prompt in a sharded run: units hold whole prompts (all K answers), and the merged outputs of
/// two demo checkpoints equal single-process runs (summary and per-dataset files byte for byte, the journal as a set of
/// lines); the study's trends and comparisons use the many-sample metrics and tests.
/// </summary>
[TestFixture]
public sealed class ManySamplesShardTests
{
    private const int K = 3;

    [Test]
    public void PlannerKeepsEveryPromptsAnswersInOneUnit()
    {
        var keys = Enumerable.Range(0, 11).Select(i => ("a", i)).Concat(Enumerable.Range(0, 6).Select(i => ("b", i))).ToArray();
        for (int shards = 1; shards <= 5; shards++)
        {
            var units = ShardPlanner.Partition([new CheckpointSelection(keys, 0, K)], batchSize: 4, shards);
            Assert.That(units.Sum(u => u.Samples), Is.EqualTo(keys.Length * K), $"{shards} shards: every answer planned once");
            var prompts = units.SelectMany(u => ShardPlanner.SamplesOf(u, keys, 4)).ToArray();
            Assert.That(prompts, Is.EquivalentTo(keys), "every prompt in exactly one unit");
            foreach (var u in units)
                Assert.That(u.Samples, Is.EqualTo(ShardPlanner.SamplesOf(u, keys, 4).Count() * K), $"unit {u.Id}");
        }
    }

    [Test]
    public async Task ShardedRunMergesToTheSingleProcessOutputs()
    {
        using var tmp = new TempDirectory();
        var data = tmp.Sub("arith_k.json");
        var all = JsonNode.Parse(File.ReadAllText(DemoPaths.EvalData))!.AsArray();
        File.WriteAllText(data, new JsonArray(all.Take(10).Select(n => n!.DeepClone()).ToArray()).ToJsonString());
        var checkpoints = DemoPaths.CheckpointDirectories.Where(c => c.Step is 0 or 1200).Select(c => c.Path).ToArray();
        EvaluatorConfig Config(string model, string output) => new()
        {
            ModelPath = model,
            EvalPromptData = [data],
            GenerateMaxLen = 16,
            BatchSize = 4,
            GenerationMode = GenerationMode.Static,
            DType = "float32",
            NSamples = K,
            OutputDir = output,
            EnableVisualization = false,
        };

        foreach (var ck in checkpoints)
        {
            await using var evaluator = new Evaluator(Config(ck, Path.Combine(tmp.Sub("single"), Path.GetFileName(ck))));
            await evaluator.EvalAsync();
        }

        var planDir = tmp.Sub("sharded");
        var plan = ShardPlanBuilder.Create(checkpoints.Select(c => (c, Config(c, planDir))).ToArray(), 3, planDir);
        ShardPlanBuilder.WriteOrReuse(plan, planDir);
        Assert.That(plan.Checkpoints.SelectMany(c => c.Datasets).Select(d => d.AnswerChecker), Is.All.EqualTo("math"));
        for (int shard = 0; shard < 3; shard++)
            await ShardRunner.RunAsync(ShardLayout.PlanPath(planDir), shard);
        var merged = PlanMerger.Merge(planDir);
        Assert.That(merged.Records, Is.EqualTo(2 * 10 * K));

        foreach (var name in checkpoints.Select(Path.GetFileName))
        {
            var single = Path.Combine(tmp.Sub("single"), name!);
            var sharded = Path.Combine(planDir, name!);
            Assert.That(File.ReadAllText(Path.Combine(sharded, OutputLayout.Summary)), Is.EqualTo(File.ReadAllText(Path.Combine(single, OutputLayout.Summary))), $"{name} summary");
            Assert.That(File.ReadAllLines(Path.Combine(sharded, OutputLayout.Journal)), Is.EquivalentTo(File.ReadAllLines(Path.Combine(single, OutputLayout.Journal))), $"{name} answers");
            var detail = Directory.GetFiles(single, "eval_results_*").Single();
            Assert.That(File.ReadAllBytes(Path.Combine(sharded, Path.GetFileName(detail))), Is.EqualTo(File.ReadAllBytes(detail)), $"{name} {Path.GetFileName(detail)}");
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(sharded, OutputLayout.Summary)))!["results"]!;
            foreach (var key in new[] { "avg@3", "pass@1", "pass@2", "pass@3", "maj@3" })
                Assert.That(summary[$"arith_k/{key}"], Is.Not.Null, key);
        }

        var trends = File.ReadAllLines(Path.Combine(planDir, OutputLayout.TrendsCsv));
        Assert.That(trends.Count(l => l.StartsWith("arith_k,all,pass@2,", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(trends.Count(l => l.StartsWith("arith_k,all,maj@3,", StringComparison.Ordinal)), Is.EqualTo(2));
        var comparisons = File.ReadAllLines(Path.Combine(planDir, OutputLayout.ComparisonsCsv));
        var accuracyRow = comparisons.Single(l => l.StartsWith("arith_k,", StringComparison.Ordinal) && l.Contains(",accuracy,", StringComparison.Ordinal));
        Assert.That(accuracyRow, Does.Contain("paired t"), "accuracy is compared on per-prompt means");
    }
}
