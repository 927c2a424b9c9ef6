using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Plotting.Rendering;
using OxyPlot;

namespace OrzDynamic.Plotting.Tests;

public class ChartRendererTests
{
    private string dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        this.dir = Path.Combine(Path.GetTempPath(), "orz-plot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(this.dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Environment.GetEnvironmentVariable("ORZ_KEEP_TEST_PNG") is null)
        {
            Directory.Delete(this.dir, recursive: true);
        }
        else
        {
            TestContext.Out.WriteLine($"PNG kept in {this.dir}");
        }
    }

    [Test]
    public void ComparisonPng_DecodesWithPreferredSize_AndShowsTheThreeStratumColours()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());
        var path = Path.Combine(this.dir, "comparison.png");

        ChartRenderer.SavePng(chart, path);

        using var bitmap = PngAssert.DecodesWithSize(path, chart.PreferredWidth, chart.PreferredHeight);
        Assert.That(PngAssert.NonBackgroundFraction(bitmap), Is.GreaterThan(0.05));
        foreach (var stratum in Strata.Values)
        {
            Assert.That(PngAssert.CountColour(bitmap, stratum.HexColor()), Is.GreaterThan(500), stratum.ToString());
        }
    }

    [Test]
    public void ComparisonPng_WithoutRandom_HasNoRandomColour()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison(withRandom: false));
        var path = Path.Combine(this.dir, "comparison2.png");

        ChartRenderer.SavePng(chart, path, 1200, 500);

        using var bitmap = PngAssert.DecodesWithSize(path, 1200, 500);
        Assert.That(PngAssert.CountColour(bitmap, Stratum.Correct.HexColor()), Is.GreaterThan(200));
        Assert.That(PngAssert.CountColour(bitmap, Stratum.Random.HexColor()), Is.EqualTo(0));
    }

    [Test]
    public void TrendsPng_DecodesWithRequestedSize_AndIsNotBlank()
    {
        var chart = TrendsChartBuilder.Build(SampleData.Trend());
        var path = Path.Combine(this.dir, "sub", "trends.png");

        ChartRenderer.SavePng(chart.Panels, chart.Layout, path, 1500, 900);

        using var bitmap = PngAssert.DecodesWithSize(path, 1500, 900);
        Assert.That(PngAssert.NonBackgroundFraction(bitmap), Is.GreaterThan(0.03));
        Assert.That(PngAssert.CountColour(bitmap, Stratum.Incorrect.HexColor()), Is.GreaterThan(100));
    }

    [Test]
    public void EmptyData_StillRendersTitleAndNoDataPanels()
    {
        var trend = new DatasetTrend("empty", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>());
        var comparison = new DatasetComparison("empty", new Dictionary<Stratum, StratumSummary>());
        var trendsPath = Path.Combine(this.dir, "t.png");
        var comparisonPath = Path.Combine(this.dir, "c.png");

        ChartRenderer.SavePng(TrendsChartBuilder.Build(trend), trendsPath);
        ChartRenderer.SavePng(ComparisonChartBuilder.Build(comparison), comparisonPath);

        using var t = PngAssert.DecodesWithSize(trendsPath, TrendsChartBuilder.DefaultWidth, TrendsChartBuilder.DefaultHeight);
        using var c = PngAssert.DecodesWithSize(comparisonPath, ComparisonChartBuilder.DefaultWidth, ComparisonChartBuilder.DefaultHeight);
        Assert.That(PngAssert.NonBackgroundFraction(t), Is.GreaterThan(0.01));
        Assert.That(PngAssert.NonBackgroundFraction(c), Is.GreaterThan(0.01));
    }

    [Test]
    public void SinglePlainPanel_RendersIntoTheGrid()
    {
        var model = new PlotModel { Title = "plain" };
        model.Series.Add(new OxyPlot.Series.LineSeries { Color = OxyColors.Black, Points = { new DataPoint(0, 0), new DataPoint(1, 1) } });
        using var bitmap = ChartRenderer.Render([model], new ChartLayout(1, 1, "One"), 300, 200);

        Assert.That(bitmap.Width, Is.EqualTo(300));
        Assert.That(PngAssert.NonBackgroundFraction(bitmap), Is.GreaterThan(0.01));
    }

    [Test]
    public void MixedSigns_NaNMeans_AndSingleCheckpoint_Render()
    {
        var metrics = new Dictionary<string, MetricStats>
        {
            [LdMetricKeys.OutToken] = new(-250, 30, 10),
            [LdMetricKeys.OutArgmax] = new(double.NaN, double.NaN, 0),
            [LdMetricKeys.ANorm] = new(12, 40, 10),
            [LdMetricKeys.ProbEnergy] = new(0.5, double.NaN, 1),
        };
        var other = LdMetricKeys.Charted.ToDictionary(m => m, _ => new MetricStats(-0.25, 0.1, 4));
        var comparison = new DatasetComparison("mixed", new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = new(10, metrics),
            [Stratum.Incorrect] = new(4, other),
            [Stratum.Random] = new(4, other),
        });
        var trend = new TrendDataBuilder().Add(45, comparison).Build().Datasets[0];
        var comparisonPath = Path.Combine(this.dir, "mixed_comparison.png");
        var trendsPath = Path.Combine(this.dir, "single_trends.png");

        ChartRenderer.SavePng(ComparisonChartBuilder.Build(comparison), comparisonPath);
        ChartRenderer.SavePng(TrendsChartBuilder.Build(trend), trendsPath);

        using var c = PngAssert.DecodesWithSize(comparisonPath, ComparisonChartBuilder.DefaultWidth, ComparisonChartBuilder.DefaultHeight);
        using var t = PngAssert.DecodesWithSize(trendsPath, TrendsChartBuilder.DefaultWidth, TrendsChartBuilder.DefaultHeight);
        Assert.That(PngAssert.CountColour(c, Stratum.Random.HexColor()), Is.GreaterThan(100));
        Assert.That(PngAssert.CountColour(t, Stratum.Correct.HexColor()), Is.GreaterThan(20), "single-point markers are drawn");
    }

    [Test]
    public void BadArguments_AreRejected()
    {
        var panels = ComparisonChartBuilder.Build(SampleData.Comparison()).Panels;
        var path = Path.Combine(this.dir, "x.png");

        Assert.That(() => ChartRenderer.SavePng(panels, new ChartLayout(2, 2, "t"), path, 800, 600),
            Throws.ArgumentException.With.Message.Contains("5 panels"));
        Assert.That(() => ChartRenderer.SavePng(panels, new ChartLayout(1, 5, "t"), path, 0, 600),
            Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ChartRenderer.SavePng(panels, new ChartLayout(0, 5, "t"), path, 800, 600),
            Throws.ArgumentException);
        Assert.That(File.Exists(path), Is.False);
    }
}
