using OrzDynamic.Metrics;
using OrzDynamic.Core.Aggregation;
using NUnit.Framework;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Tests.Results;

[TestFixture]
public class EvalResultsTests
{
    [Test]
    public void MetricStatisticsUsesSampleStd()
    {
        var s = MetricStatistics.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.That(s.Mean, Is.EqualTo(2.5));
        Assert.That(s.Std, Is.EqualTo(Math.Sqrt(5.0 / 3.0)).Within(1e-12));
        Assert.That(s.Count, Is.EqualTo(4));
        Assert.That(MetricStatistics.Of([7.0]).Std, Is.Zero);
        Assert.That(double.IsNaN(MetricStatistics.Of([]).Mean), Is.True);
    }

    [Test]
    public void FlatKeysReadLikeThePythonDict()
    {
        var correct = StratumResult.Of([new LdMetrics { ProbEnergy = 0.2, ValidTokens = 4 }, new LdMetrics { ProbEnergy = 0.4, ValidTokens = 6 }]);
        var results = new EvalResults
        {
            Checkpoint = "iter90",
            Iteration = 90,
            Datasets = new Dictionary<string, DatasetResult>
            {
                ["math500"] = new() { Name = "math500", Evaluated = 4, Correct = 3, ResponseLenInChar = 12.5,
                    Strata = new Dictionary<string, StratumResult> { ["correct"] = correct } },
                ["aime"] = new() { Name = "aime", Evaluated = 2, Correct = 0 },
            },
            CustomSentences = new Dictionary<string, StratumResult> { ["mine"] = correct },
        };
        Assert.That(results["math500/accuracy"], Is.EqualTo(0.75));
        Assert.That(results["eval_accuracy"], Is.EqualTo(0.375));
        Assert.That(results["math500/ld_correct/prob_energy"], Is.EqualTo(0.3).Within(1e-12));
        Assert.That(results["math500/ld_correct/count"], Is.EqualTo(2));
        Assert.That(results["math500/ld_correct/valid_tokens"], Is.EqualTo(5));
        Assert.That(results["math500/response_len_in_char"], Is.EqualTo(12.5));
        Assert.That(results["custom_sentence_mine/prob_energy"], Is.EqualTo(0.3).Within(1e-12));
        Assert.That(() => results["nope/accuracy"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("math500"));
    }
}
