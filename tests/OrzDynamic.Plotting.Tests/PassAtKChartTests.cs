using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Export;

namespace OrzDynamic.Plotting.Tests;

/// <summary>The pass@k chart: one line per checkpoint over k = 1, 2, 4, 8 on a log₂ axis, drawn by the trends step.</summary>
[TestFixture]
public sealed class PassAtKChartTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "orz-plot-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static DatasetTrend Trend()
    {
        int[] iterations = [0, 100, 200];
        var series = new Dictionary<string, TrendSeries>(StringComparer.Ordinal)
        {
            ["avg@8"] = new(iterations, [0.1, 0.3, 0.5]),
            ["pass@1"] = new(iterations, [0.1, 0.3, 0.5]),
            ["pass@2"] = new(iterations, [0.18, 0.45, 0.6]),
            ["pass@4"] = new(iterations, [0.3, 0.6, 0.66]),
            ["pass@8"] = new(iterations, [0.45, 0.7, double.NaN]),
            ["maj@8"] = new(iterations, [0.05, 0.35, 0.55]),
        };
        return new DatasetTrend("aime", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>()) { SampleMetrics = series };
    }

    [Test]
    public void CurvesHoldOneLinePerCheckpointOverK()
    {
        var curves = PassAtKChartBuilder.Curves(Trend());
        Assert.That(curves.Select(c => c.Iteration), Is.EqualTo(new[] { 0, 100, 200 }));
        Assert.That(curves[0].Points, Is.EqualTo(new[] { (1, 0.1), (2, 0.18), (4, 0.3), (8, 0.45) }));
        Assert.That(curves[2].Points.Select(p => p.K), Is.EqualTo(new[] { 1, 2, 4 }), "a missing value is no point");
        var chart = PassAtKChartBuilder.Build(Trend())!;
        var panel = chart.Panels.Single();
        var x = panel.Axes.Single(a => a.Key == "k");
        Assert.That(((OxyPlot.Series.LineSeries)panel.Series[0]).Points.Select(p => p.X), Is.EqualTo(new[] { 0.0, 1, 2, 3 }), "x = log2 k");
        Assert.That(new[] { 0.0, 1, 2, 3 }.Select(v => x.LabelFormatter(v)), Is.EqualTo(new[] { "1", "2", "4", "8" }));
        Assert.That(panel.Series, Has.Count.EqualTo(3));
        Assert.That(chart.Layout.Legend!.Select(l => l.Label), Is.EqualTo(new[] { "iter 0", "iter 100", "iter 200" }));
    }

    [Test]
    public void NoPassAtKValuesDrawNothing()
    {
        var trend = new DatasetTrend("one", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>());
        Assert.That(PassAtKChartBuilder.Build(trend), Is.Null);
        Assert.That(new PngChartWriter().SavePassAtK(trend, _dir), Is.Null);
    }

    [Test]
    public void SaveTrendsWritesThePassAtKChart()
    {
        var written = Evaluator.SaveTrends(new TrendData([Trend()]), _dir, new PngChartWriter());
        var chart = Path.Combine(_dir, OutputLayout.PassAtKChart("aime"));
        Assert.That(written, Does.Contain(Path.GetFullPath(chart)).Or.Contain(chart));
        using var bitmap = PngAssert.DecodesWithSize(chart, PassAtKChartBuilder.DefaultWidth, PassAtKChartBuilder.DefaultHeight);
        Assert.That(PngAssert.NonBackgroundFraction(bitmap), Is.GreaterThan(0.01));
        var csv = File.ReadAllLines(Path.Combine(_dir, OutputLayout.TrendsCsv));
        Assert.That(csv.Count(l => l.StartsWith("aime,all,pass@4,", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(csv.Single(l => l.StartsWith("aime,all,pass@8,200,", StringComparison.Ordinal)), Does.StartWith("aime,all,pass@8,200,NaN"));
    }
}
