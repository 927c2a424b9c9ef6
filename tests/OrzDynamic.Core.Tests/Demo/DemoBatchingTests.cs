using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Demo;

/// <summary>
/// On the demo checkpoints (float32), a sample's answer is the same at batch 1, in static batches of 4 and under
/// continuous batching with 4 slots — greedy and sampled (per-sample seeds).
/// </summary>
[TestFixture]
public sealed class DemoBatchingTests
{
    private static async Task<Dictionary<(string, int), IReadOnlyList<int>>> Answers(string checkpoint, string output, GenerationMode mode, int batch, bool sample)
    {
        var config = new EvaluatorConfig
        {
            ModelPath = checkpoint,
            EvalPromptData = [DemoPaths.EvalData],
            MaxEvalSamples = 40,
            GenerateMaxLen = 48,
            DoSample = sample,
            Temperature = 1.0,
            DType = "float32",
            GenerationMode = mode,
            BatchSize = batch,
            OutputDir = output,
            EnableVisualization = false,
            RandomTokensPerSample = 0,
        };
        await using (var evaluator = new Evaluator(config)) await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        using var journal = ResultsJournal.Open(Path.Combine(output, OutputLayout.Journal));
        return journal.Records.ToDictionary(r => (r.Dataset, r.Index), r => r.TokenIds!);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AnswersAreIdenticalAtBatch1Batch4AndContinuous(bool sample)
    {
        using var tmp = new TempDirectory();
        Assert.That(DemoPaths.CheckpointDirectories.Select(c => c.Step), Is.EqualTo(new[] { 0, 1200, 2200 }));
        foreach (var (step, checkpoint) in DemoPaths.CheckpointDirectories)
        {
            var one = await Answers(checkpoint, tmp.Sub($"{step}-b1"), GenerationMode.Static, 1, sample);
            var four = await Answers(checkpoint, tmp.Sub($"{step}-b4"), GenerationMode.Static, 4, sample);
            var cont = await Answers(checkpoint, tmp.Sub($"{step}-c4"), GenerationMode.Continuous, 4, sample);
            Assert.That(one, Has.Count.EqualTo(40));
            int diff4 = one.Count(kv => !kv.Value.SequenceEqual(four[kv.Key])), diffC = one.Count(kv => !kv.Value.SequenceEqual(cont[kv.Key]));
            TestContext.Out.WriteLine($"iter{step} {(sample ? "sampled" : "greedy")}: mean length {one.Values.Average(v => v.Count):F1}; differing answers: static-4 {diff4}/40, continuous {diffC}/40");
            Assert.That(diff4, Is.Zero, $"iter{step}: static batch 4 vs batch 1");
            Assert.That(diffC, Is.Zero, $"iter{step}: continuous vs batch 1");
        }
    }
}
