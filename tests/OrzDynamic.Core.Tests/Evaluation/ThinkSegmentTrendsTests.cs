using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>Segment metrics reach the summary keys, trends.csv and the segment chosen for the trend charts; without them nothing changes.</summary>
[TestFixture]
public class ThinkSegmentTrendsTests
{
    private static LdMetrics Metrics(double energy, long tokens) => new() { ProbEnergy = energy, ValidTokens = tokens, OutToken = -1, OutArgmax = -0.5, OutExceptArgmax = -2, ANorm = 0.5, ProbGap2Mean = 0.25, ArgmaxMatchRate = 0.5 };

    private static EvalResults Checkpoint(string name, double thinkEnergy, bool segments)
    {
        var acc = new DatasetAccumulator("math");
        for (var i = 0; i < 3; i++)
            acc.Add(new SampleRecord
            {
                Dataset = "math", Index = i, Output = "x", IsCorrect = i > 0, LdMetrics = Metrics(0.5, 10),
                ThinkSegments = !segments ? null : i == 2
                    ? new ThinkSegmentRecord { Status = ThinkSegmentRecord.Unclosed }
                    : new ThinkSegmentRecord
                    {
                        Status = ThinkSegmentRecord.Closed, Think = [0, 7], Answer = [7, 3],
                        LdMetricsThink = Metrics(thinkEnergy + i * 0.01, 7), LdMetricsAnswer = Metrics(0.9, 3),
                    },
            });
        return new EvalResults { Checkpoint = name, Datasets = new Dictionary<string, DatasetResult> { ["math"] = acc.ToResult() } };
    }

    [Test]
    public void SegmentsReachSummaryTrendsCsvAndTheChartedSegment()
    {
        var first = Checkpoint("iter0", 0.2, segments: true);
        Assert.Multiple(() =>
        {
            Assert.That(first["math/think_closed"], Is.EqualTo(2));
            Assert.That(first["math/think_unclosed"], Is.EqualTo(1));
            Assert.That(first["math/think_missing"], Is.EqualTo(0));
            Assert.That(first["math/ld_correct/think/count"], Is.EqualTo(1));
            Assert.That(first["math/ld_incorrect/think/prob_energy"], Is.EqualTo(0.2).Within(1e-12));
            Assert.That(first["math/ld_correct/answer/prob_energy"], Is.EqualTo(0.9).Within(1e-12));
            Assert.That(first["math/ld_correct/prob_energy"], Is.EqualTo(0.5).Within(1e-12));
        });

        var trends = MultiCheckpointAggregator.Aggregate(new Dictionary<string, EvalResults> { ["run/iter0"] = first, ["run/iter10"] = Checkpoint("iter10", 0.4, true) });
        using var csv = new StringWriter();
        TrendsCsvWriter.Write(trends, csv);
        Assert.That(csv.ToString(), Does.Contain("math,incorrect,think/prob_energy,10,0.4,").And.Contain("math,correct,answer/prob_energy,0,0.9,"));

        var think = ChartDataMapper.ForSegment(trends.Datasets[0], ResponseSegments.Think);
        Assert.That(think.Get(Stratum.Incorrect, LdMetricKeys.ProbEnergy).Values, Is.EqualTo(new[] { 0.2, 0.4 }).Within(1e-12));
        Assert.That(ChartDataMapper.ForSegment(trends.Datasets[0], ResponseSegments.All), Is.SameAs(trends.Datasets[0]));
    }

    [Test]
    public void WithoutSegmentsNoKeyOrTrendRowAppears()
    {
        var results = Checkpoint("iter0", 0.2, segments: false);
        Assert.That(results.Keys.Where(k => k.Contains("think", StringComparison.Ordinal) || k.Contains("answer/", StringComparison.Ordinal)), Is.Empty);
        var trends = MultiCheckpointAggregator.Aggregate(new Dictionary<string, EvalResults> { ["run/iter0"] = results, ["run/iter10"] = Checkpoint("iter10", 0.4, false) });
        using var csv = new StringWriter();
        TrendsCsvWriter.Write(trends, csv);
        Assert.That(csv.ToString(), Does.Not.Contain("think/").And.Not.Contain("answer/"));
    }
}
