using OrzDynamic.Metrics;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Tests.Results;

[TestFixture]
public class MultiCheckpointAggregatorTests
{
    private static EvalResults Results(string ckpt, double energy, int correct) => new()
    {
        Checkpoint = ckpt,
        Datasets = new Dictionary<string, DatasetResult>
        {
            ["toy"] = new()
            {
                Name = "toy", Evaluated = 4, Correct = correct,
                Strata = new Dictionary<string, StratumResult>
                {
                    ["correct"] = StratumResult.Of([new LdMetrics { ProbEnergy = energy, ValidTokens = 3 }]),
                    ["random"] = StratumResult.Of([new LdMetrics { ProbEnergy = energy + 0.5, ValidTokens = 1 }]),
                },
            },
        },
    };

    [Test]
    public void TrendsAreSortedByIterationFromThePath()
    {
        var trends = MultiCheckpointAggregator.Aggregate(new Dictionary<string, EvalResults>
        {
            ["/runs/iter90"] = Results("iter90", 0.1, 3),
            ["/runs/iter0"] = Results("iter0", 0.4, 1),
            ["/runs/iter45"] = Results("iter45", 0.3, 2),
        });
        var toy = trends.Datasets.Single();
        Assert.That(toy.Dataset, Is.EqualTo("toy"));
        var energy = toy.Metrics[Stratum.Correct][LdMetricKeys.ProbEnergy];
        Assert.That(energy.Iterations, Is.EqualTo(new[] { 0, 45, 90 }));
        Assert.That(energy.Values, Is.EqualTo(new[] { 0.4, 0.3, 0.1 }).Within(1e-12));
        Assert.That(toy.Metrics[Stratum.Random][LdMetricKeys.ProbEnergy].Values, Is.EqualTo(new[] { 0.9, 0.8, 0.6 }).Within(1e-12));
        Assert.That(toy.Metrics.ContainsKey(Stratum.Incorrect), Is.False);
        Assert.That(toy.Accuracy!.Values, Is.EqualTo(new[] { 0.25, 0.5, 0.75 }));
    }

    [Test]
    public void CheckpointsWithoutIterationUseTheOrderGiven()
    {
        var trends = MultiCheckpointAggregator.Aggregate(new Dictionary<string, EvalResults>
        {
            ["base"] = Results("base", 0.4, 1),
            ["tuned"] = Results("tuned", 0.2, 3),
        });
        Assert.That(trends.Datasets.Single().Accuracy!.Iterations, Is.EqualTo(new[] { 0, 1 }));
    }
}
