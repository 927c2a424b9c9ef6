using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>Bands and significance flags in the multi-checkpoint aggregation and trends.csv.</summary>
[TestFixture]
public class TrendIntervalsTests
{
    private const string Ds = "math500";

    private static SampleRecord Rec(int index, bool correct, double probEnergy) => new()
    {
        Dataset = Ds,
        Index = index,
        IsCorrect = correct,
        LdMetrics = new LdMetrics { ProbEnergy = probEnergy, ValidTokens = 5 },
    };

    private static Dictionary<string, EvalResults> TwoCheckpoints()
    {
        var a = Enumerable.Range(0, 30).Select(i => Rec(i, i < 3, 0.8 + 0.001 * i)).ToArray();
        var b = Enumerable.Range(0, 30).Select(i => Rec(i, i < 27, 0.3 + 0.001 * i)).ToArray();
        return new Dictionary<string, EvalResults>
        {
            ["run/iter10"] = ResultsAggregator.Aggregate("iter10", "run/iter10", a, [Ds]),
            ["run/iter20"] = ResultsAggregator.Aggregate("iter20", "run/iter20", b, [Ds]),
        };
    }

    [Test]
    public void AggregationCarriesStdAndIntervalsMatchingTheResultsKeys()
    {
        var all = TwoCheckpoints();
        var trend = MultiCheckpointAggregator.Aggregate(all).Get(Ds)!;
        var pe = trend.Get(Stratum.Correct, LdMetricKeys.ProbEnergy);
        var r20 = all["run/iter20"];
        Assert.That(pe.Std![1], Is.EqualTo(r20[$"{Ds}/ld_correct/prob_energy_std"]));
        Assert.That(pe.CiLow![1], Is.EqualTo(r20[$"{Ds}/ld_correct/prob_energy_ci_low"]).Within(1e-15));
        Assert.That(pe.CiHigh![1], Is.EqualTo(r20[$"{Ds}/ld_correct/prob_energy_ci_high"]).Within(1e-15));
        Assert.That(trend.Accuracy!.CiLow![0], Is.EqualTo(all["run/iter10"][$"{Ds}/accuracy_ci_low"]));
        Assert.That(trend.ConfidenceLevel, Is.EqualTo(0.95));

        // The same values from their formulas. iter20's correct answers have prob_energy 0.3 + 0.001 i, i = 0..26: mean
        // 0.313, sample std 0.001 * sqrt(27 * 28 / 12); 95 % t interval with 26 degrees of freedom.
        double std = 0.001 * Math.Sqrt(27 * 28 / 12.0);
        double tHalf = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 26, 0.975) * std / Math.Sqrt(27);
        Assert.That(pe.Std[1], Is.EqualTo(std).Within(1e-12));
        Assert.That(pe.CiLow[1], Is.EqualTo(0.313 - tHalf).Within(1e-12));
        Assert.That(pe.CiHigh[1], Is.EqualTo(0.313 + tHalf).Within(1e-12));
        // iter10: 3 of 30 correct; Wilson score interval at 95 %.
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.975), n = 30, p = 3 / n;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        Assert.That(trend.Accuracy.CiLow[0], Is.EqualTo(centre - half).Within(1e-12));
        Assert.That(trend.Accuracy.CiHigh![0], Is.EqualTo(centre + half).Within(1e-12));
        Assert.That(trend.Accuracy.SignificantChange, Is.Null, "no comparison applied yet");
    }

    [Test]
    public void SignificanceIsAppliedToAccuracyAndCorrectIncorrectButNotRandom()
    {
        var all = TwoCheckpoints();
        var report = MultiCheckpointComparison.Compare(all);
        var trend = TrendSignificance.Apply(MultiCheckpointAggregator.Aggregate(all), report).Get(Ds)!;
        Assert.That(trend.Accuracy!.SignificantChange, Is.EqualTo(new[] { false, true }));
        var welch = report.Find(Ds, 20, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.Correct)!;
        Assert.That(trend.Get(Stratum.Correct, LdMetricKeys.ProbEnergy).SignificantChange![1], Is.EqualTo(welch.Significant));
        Assert.That(trend.Get(Stratum.Incorrect, LdMetricKeys.ProbEnergy).SignificantChange![1], Is.True);
        Assert.That(trend.Get(Stratum.Random, LdMetricKeys.ProbEnergy).SignificantChange, Is.Null);
        Assert.That(trend.SignificanceNote, Does.Contain("McNemar").And.Contain("Welch"));
    }

    [Test]
    public void TrendsCsvHasBandColumns_EmptyWhereUnknown()
    {
        var all = TwoCheckpoints();
        var trends = TrendSignificance.Apply(MultiCheckpointAggregator.Aggregate(all), MultiCheckpointComparison.Compare(all));
        using var writer = new StringWriter();
        TrendsCsvWriter.Write(trends, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change"));
        var acc20 = lines.Single(l => l.StartsWith($"{Ds},all,accuracy,20,", StringComparison.Ordinal)).Split(',');
        Assert.That(acc20[5], Is.Empty, "accuracy has no std");
        Assert.That(double.Parse(acc20[6], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(all["run/iter20"][$"{Ds}/accuracy_ci_low"]));
        Assert.That(acc20[8], Is.EqualTo("true"));
        var acc10 = lines.Single(l => l.StartsWith($"{Ds},all,accuracy,10,", StringComparison.Ordinal)).Split(',');
        Assert.That(acc10[8], Is.Empty, "the first checkpoint has no change");
        var random = lines.First(l => l.StartsWith($"{Ds},random,", StringComparison.Ordinal)).Split(',');
        Assert.That(random[4], Is.EqualTo("NaN"), "empty stratum mean stays NaN as before");
        Assert.That(random[6..], Is.All.Empty, "no interval, no test");
        Assert.That(writer.ToString(), Does.Not.Contain(",NaN,NaN"));
    }
}
