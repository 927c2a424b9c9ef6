using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>
/// Calibration of the statistics with several answers per prompt, by simulation. A synthetic checkpoint is a fixed set
/// of prompts, each with its own chance of a correct answer and its own metric level (strongly clustered answers);
/// evaluating it with 20 sampling seeds and comparing the evaluations with each other (seed 1 vs 2, 3 vs 4, …) is the
/// "same checkpoint against itself" study, where every significant change is a false positive.
/// </summary>
[TestFixture]
public sealed class ClusteredFalsePositiveRateTests
{
    private const int PromptCount = 30, K = 8, Seeds = 20;

    private sealed record Prompt(double PCorrect, double Level);

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static Prompt[] Checkpoint(Random rng) => Enumerable.Range(0, PromptCount)
        .Select(_ => new Prompt(1 / (1 + Math.Exp(-2 * Normal(rng))), -20 + 5 * Normal(rng))).ToArray();

    /// <summary>One evaluation: K answers per prompt, correct with the prompt's chance, out_token = level + noise.</summary>
    private static CheckpointSamples Evaluate(Prompt[] prompts, int seed, Random rng)
    {
        var records = new List<SampleRecord>();
        for (int j = 0; j < prompts.Length; j++)
            for (int s = 0; s < K; s++)
                records.Add(new SampleRecord
                {
                    Dataset = "sim", Index = j, Sample = s, IsCorrect = rng.NextDouble() < prompts[j].PCorrect,
                    LdMetrics = new LdMetrics { OutToken = prompts[j].Level + Normal(rng), ValidTokens = 10 },
                });
        return new CheckpointSamples($"seed{seed}", seed, records);
    }

    [Test]
    public void SameCheckpointAgainstItselfRejectsAtTheNominalRate()
    {
        var rng = new Random(20261207);
        var comparer = new CheckpointComparer(new ComparisonOptions { Metrics = [LdMetricKeys.OutToken] });
        int comparisons = 0, accuracyRejections = 0, metricRejections = 0, metricTests = 0, familyWise = 0;
        for (int c = 0; c < 40; c++)
        {
            var prompts = Checkpoint(rng);
            var runs = Enumerable.Range(1, Seeds).Select(seed => Evaluate(prompts, seed, rng)).ToArray();
            for (int k = 0; k < Seeds / 2; k++)
            {
                var rows = comparer.ComparePair(runs[2 * k], runs[2 * k + 1], ComparisonKind.Previous);
                comparisons++;
                var accuracy = rows.Single(r => r.Metric == ComparisonRow.AccuracyMetric);
                Assert.That(accuracy.NFrom, Is.EqualTo(PromptCount), "the prompt is the unit");
                if (accuracy.P < 0.05) accuracyRejections++;
                var all = rows.Single(r => r.Metric == LdMetricKeys.OutToken && r.Stratum == Strata.All);
                if (all.Test.IsTestable) metricTests++;
                if (all.P < 0.05) metricRejections++;
                if (rows.Any(r => r.Significant)) familyWise++;
            }
        }
        double accuracyRate = (double)accuracyRejections / comparisons, metricRate = (double)metricRejections / metricTests;
        TestContext.Out.WriteLine($"{comparisons} comparisons: accuracy paired t {accuracyRate:P1}, out_token Wilcoxon {metricRate:P1}, family-wise (Holm) {(double)familyWise / comparisons:P1}");
        Assert.That(accuracyRate, Is.InRange(0.02, 0.08));
        Assert.That(metricRate, Is.InRange(0.02, 0.08));
    }

    [Test]
    public void PromptLevelIntervalCoversWhereAnAnswerLevelIntervalDoesNot()
    {
        // Prompts drawn from a population with mean chance 0.5: the accuracy interval should cover 0.5 in 95 % of runs.
        var rng = new Random(5);
        int runs = 1000, clusteredCover = 0, naiveCover = 0;
        for (int r = 0; r < runs; r++)
        {
            var prompts = Checkpoint(rng);
            var byPrompt = prompts.Select(p => (IReadOnlyList<double>)Enumerable.Range(0, K).Select(_ => rng.NextDouble() < p.PCorrect ? 1.0 : 0.0).ToArray()).ToArray();
            var clustered = ClusteredMean.Interval(byPrompt)!;
            int correct = (int)byPrompt.Sum(p => p.Sum());
            var naive = WilsonInterval.Compute(correct, PromptCount * K)!;
            if (clustered.Low <= 0.5 && 0.5 <= clustered.High) clusteredCover++;
            if (naive.Low <= 0.5 && 0.5 <= naive.High) naiveCover++;
        }
        TestContext.Out.WriteLine($"coverage of 0.5 over {runs} runs: per-prompt t {(double)clusteredCover / runs:P1}, answer-level Wilson {(double)naiveCover / runs:P1}");
        Assert.That((double)clusteredCover / runs, Is.InRange(0.92, 0.98));
        Assert.That((double)naiveCover / runs, Is.LessThan(0.85), "answers of one prompt are not independent");
    }
}
