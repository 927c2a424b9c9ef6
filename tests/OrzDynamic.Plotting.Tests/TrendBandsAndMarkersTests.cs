using OrzDynamic.Core.Aggregation;
using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;
using OxyPlot;
using OxyPlot.Series;

namespace OrzDynamic.Plotting.Tests;

/// <summary>Interval bands (± std or CI) and significance stars of the trends chart.</summary>
public class TrendBandsAndMarkersTests
{
    private static DatasetTrend Trend()
    {
        int[] it = [0, 45, 90];
        var correct = new TrendSeries(it, [0.5, 0.4, 0.2])
        {
            Std = [0.1, 0.1, double.NaN],
            CiLow = [0.45, 0.35, 0.18],
            CiHigh = [0.55, 0.45, 0.22],
            SignificantChange = [false, false, true],
        };
        var incorrect = new TrendSeries(it, [0.7, 0.7, 0.6]) { Std = [0.2, 0.2, 0.2] };
        var accuracy = new TrendSeries(it, [0.1, 0.3, 0.6])
        {
            CiLow = [0.05, 0.2, 0.5],
            CiHigh = [0.2, 0.4, 0.7],
            SignificantChange = [false, true, true],
        };
        return new DatasetTrend("d", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Correct] = new Dictionary<string, TrendSeries> { [LdMetricKeys.ProbEnergy] = correct },
            [Stratum.Incorrect] = new Dictionary<string, TrendSeries> { [LdMetricKeys.ProbEnergy] = incorrect },
        }, accuracy)
        { ConfidenceLevel = 0.9, SignificanceNote = "Stars: test note" };
    }

    [Test]
    public void StdBandsAreMeanPlusMinusStd_AndSkipPointsWithoutStd()
    {
        var panel = TrendsChartBuilder.BuildMetricPanel(Trend(), LdMetricKeys.ProbEnergy, TrendErrorBars.Std);
        var bands = panel.Series.OfType<AreaSeries>().ToList();
        Assert.That(bands, Has.Count.EqualTo(2));
        var correctBand = bands.Single(b => b.Points.Count == 2);
        Assert.That(correctBand.Points.Select(p => p.Y), Is.EqualTo(new[] { 0.6, 0.5 }).Within(1e-12));
        Assert.That(correctBand.Points2.Select(p => p.Y), Is.EqualTo(new[] { 0.4, 0.3 }).Within(1e-12));
        Assert.That(correctBand.Fill.A, Is.LessThan(255), "translucent");
        Assert.That(panel.Series.IndexOf(bands[0]), Is.LessThan(panel.Series.IndexOf(panel.Series.OfType<LineSeries>().First(s => s is not AreaSeries))),
            "bands are drawn below the lines");
    }

    [Test]
    public void Bands_AreClippedToTheDomainOfTheMetric()
    {
        var trend = Geometry.ChartCatalog.CoincidingTrend();
        Assert.That(LdMetricKeys.Describe(LdMetricKeys.ProbEnergy).Domain, Is.EqualTo(new MetricDomain(0, 1)));
        Assert.That(LdMetricKeys.Describe(LdMetricKeys.ProbGap2Mean).Domain, Is.EqualTo(new MetricDomain(0, Math.Sqrt(2))), "‖p − e_y‖₂ ≤ √2");
        foreach (var metric in new[] { LdMetricKeys.ProbEnergy, LdMetricKeys.ProbGap2Mean })
        {
            var domain = LdMetricKeys.Describe(metric).Domain;
            var bands = TrendsChartBuilder.BuildMetricPanel(trend, metric, TrendErrorBars.Std).Series.OfType<AreaSeries>().ToList();
            Assert.That(bands, Is.Not.Empty, metric);
            var ends = bands.SelectMany(b => b.Points.Concat(b.Points2)).Select(p => p.Y).ToList();
            Assert.That(ends, Is.All.InRange(domain.Min, domain.Max), metric);
            Assert.That(ends, Has.Some.EqualTo(0.0), $"{metric}: mean − std < 0 is cut at 0");
        }

        var outToken = TrendsChartBuilder.BuildMetricPanel(trend, LdMetricKeys.OutToken, TrendErrorBars.Std).Series.OfType<AreaSeries>();
        Assert.That(outToken.SelectMany(b => b.Points).Select(p => p.Y), Is.All.LessThanOrEqualTo(0.0), "log-probabilities ≤ 0");
    }

    [Test]
    public void CiBandsUseTheIntervalBounds_AndAccuracyGetsItsWilsonBandOnlyInCiMode()
    {
        var trend = Trend();
        var panel = TrendsChartBuilder.BuildMetricPanel(trend, LdMetricKeys.ProbEnergy, TrendErrorBars.Ci);
        var band = panel.Series.OfType<AreaSeries>().Single();
        Assert.That(band.Points.Select(p => p.Y), Is.EqualTo(new[] { 0.55, 0.45, 0.22 }));
        Assert.That(band.Points2.Select(p => p.Y), Is.EqualTo(new[] { 0.45, 0.35, 0.18 }));

        var acc = TrendsChartBuilder.BuildAccuracyPanel(trend, TrendErrorBars.Ci).Series.OfType<AreaSeries>().Single();
        Assert.That(acc.Points.Select(p => p.Y), Is.EqualTo(new[] { 20.0, 40.0, 70.0 }).Within(1e-9), "percent");
        Assert.That(TrendsChartBuilder.BuildAccuracyPanel(trend, TrendErrorBars.Std).Series.OfType<AreaSeries>(), Is.Empty);
        Assert.That(TrendsChartBuilder.BuildMetricPanel(trend, LdMetricKeys.ProbEnergy, TrendErrorBars.None).Series.OfType<AreaSeries>(), Is.Empty);
    }

    [Test]
    public void StarsSitAtTheMiddleOfSignificantSegments()
    {
        var trend = Trend();
        var stars = TrendsChartBuilder.BuildMetricPanel(trend, LdMetricKeys.ProbEnergy).Series.OfType<ScatterSeries>().Single();
        Assert.That(stars.MarkerType, Is.EqualTo(MarkerType.Star));
        Assert.That(stars.Points.Select(p => (p.X, p.Y)), Is.EqualTo(new[] { (67.5, 0.30000000000000004) }));
        var accStars = TrendsChartBuilder.BuildAccuracyPanel(trend).Series.OfType<ScatterSeries>().Single();
        Assert.That(accStars.Points.Select(p => p.X), Is.EqualTo(new[] { 22.5, 67.5 }));
        Assert.That(accStars.Points[1].Y, Is.EqualTo(45.0).Within(1e-9));
    }

    [Test]
    public void FooterNamesBandAndTest_AndRenders()
    {
        var chart = TrendsChartBuilder.Build(Trend(), errorBars: TrendErrorBars.Ci);
        Assert.That(chart.Layout.Footer, Does.Contain("90% CI").And.Contain("Wilson").And.Contain("Stars: test note"));
        Assert.That(chart.Layout.Subtitle, Does.Contain("band: 90% CI"));
        Assert.That(TrendsChartBuilder.FormatFooter(Trend() with { SignificanceNote = null }, TrendErrorBars.Std), Is.EqualTo("Bands: mean ± 1 std"));
        Assert.That(TrendsChartBuilder.FormatFooter(Trend() with { SignificanceNote = null }, TrendErrorBars.None), Is.Null);
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "t.png");
        Rendering.ChartRenderer.SavePng(chart, path);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
    }

    [Test]
    public void BandLengthsAreValidated()
    {
        var bad = new TrendSeries([0, 1], [0.1, 0.2]) { CiLow = [0.0] };
        var trend = new DatasetTrend("d", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Correct] = new Dictionary<string, TrendSeries> { ["m"] = bad },
        });
        var ex = Assert.Throws<PlotDataException>(() => TrendsChartBuilder.Build(trend));
        Assert.That(ex!.Message, Does.Contain("CiLow"));
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("orz-bands-").FullName;

        public void Dispose() => Directory.Delete(this.Path, recursive: true);
    }
}
