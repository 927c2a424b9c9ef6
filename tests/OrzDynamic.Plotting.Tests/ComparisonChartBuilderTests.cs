using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Core.Aggregation;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace OrzDynamic.Plotting.Tests;

public class ComparisonChartBuilderTests
{
    private static BarSeries Bars(PlotModel panel) => panel.Series.OfType<BarSeries>().Single();

    /// <summary>The whiskers of a panel: per vertical stroke its category, low and high end, and whether each end has a cap.</summary>
    private static List<(double Category, double Low, double High, bool LowCap, bool HighCap)> Whiskers(PlotModel panel)
    {
        var line = panel.Series.OfType<LineSeries>().Single(s => s.Title == ComparisonChartBuilder.WhiskersTitle);
        var segments = new List<List<DataPoint>> { new() };
        foreach (var p in line.Points)
        {
            if (p.IsDefined()) segments[^1].Add(p);
            else segments.Add([]);
        }

        var strokes = segments.Where(g => g.Count == 2 && g[0].X == g[1].X).ToList();
        var caps = segments.Where(g => g.Count == 2 && g[0].Y == g[1].Y && g[0].X != g[1].X).ToList();
        return strokes.Select(g => (g[0].X, Math.Min(g[0].Y, g[1].Y), Math.Max(g[0].Y, g[1].Y),
            caps.Any(c => Math.Abs(((c[0].X + c[1].X) / 2) - g[0].X) < 1e-9 && c[0].Y == Math.Min(g[0].Y, g[1].Y)),
            caps.Any(c => Math.Abs(((c[0].X + c[1].X) / 2) - g[0].X) < 1e-9 && c[0].Y == Math.Max(g[0].Y, g[1].Y)))).ToList();
    }

    private static List<TextAnnotation> Labels(PlotModel panel) => panel.Annotations.OfType<TextAnnotation>().ToList();

    [Test]
    public void Build_MakesOnePanelPerMetric_InCanonicalOrder()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());

        Assert.That(chart.Panels.Select(p => p.Title), Is.EqualTo(LdMetricKeys.Charted));
        Assert.That(chart.Layout.Rows, Is.EqualTo(1));
        Assert.That(chart.Layout.Columns, Is.EqualTo(5));
        Assert.That(chart.Layout.Title, Does.Contain("gsm8k"));
        Assert.That(chart.Layout.Subtitle, Does.Contain("iter90"));
    }

    [Test]
    public void Panels_HaveBarsEqualToMeans_WhiskersOfStd_ColouredByStratum()
    {
        var comparison = SampleData.Comparison();
        var chart = ComparisonChartBuilder.Build(comparison);
        Stratum[] strata = [Stratum.Correct, Stratum.Incorrect, Stratum.Random];

        Assert.That(chart.Panels, Has.Count.EqualTo(5));
        Assert.That(LdMetricKeys.Charted, Has.Count.EqualTo(5));
        for (var m = 0; m < LdMetricKeys.Charted.Count; m++)
        {
            var metric = LdMetricKeys.Charted[m];
            var panel = chart.Panels[m];
            Assert.That(panel.Series, Has.Count.EqualTo(2), $"{metric}: bars and whiskers");
            var items = Bars(panel).Items.ToList();
            Assert.That(items, Has.Count.EqualTo(3), metric);
            var whiskers = Whiskers(panel);
            Assert.That(whiskers, Has.Count.EqualTo(3), metric);
            for (var i = 0; i < 3; i++)
            {
                var expected = comparison.Strata[strata[i]].Metrics[metric];
                Assert.That(items[i].CategoryIndex, Is.EqualTo(i));
                Assert.That(items[i].Value, Is.EqualTo(expected.Mean), $"{metric} {strata[i]} mean");
                Assert.That(whiskers[i].Category, Is.EqualTo(i));
                Assert.That(whiskers[i].Low, Is.EqualTo(expected.Mean - expected.Std).Within(1e-12), $"{metric} {strata[i]} mean − std");
                Assert.That(whiskers[i].High, Is.EqualTo(expected.Mean + expected.Std).Within(1e-12), $"{metric} {strata[i]} mean + std");
                Assert.That(whiskers[i].LowCap && whiskers[i].HighCap, Is.True, $"{metric} {strata[i]}: capped at both ends");
                Assert.That(items[i].Color, Is.EqualTo(strata[i].Color()), $"{metric} {strata[i]} colour");
            }
        }
    }

    [Test]
    public void StratumColours_AreOkabeItoHues()
    {
        Assert.That(Stratum.Correct.Color(), Is.EqualTo(OxyColor.FromRgb(0x00, 0x9e, 0x73)), "bluish green");
        Assert.That(Stratum.Incorrect.Color(), Is.EqualTo(OxyColor.FromRgb(0xd5, 0x5e, 0x00)), "vermillion");
        Assert.That(Stratum.Random.Color(), Is.EqualTo(OxyColor.FromRgb(0x00, 0x72, 0xb2)), "blue");
        Assert.That(Strata.Values.Select(s => s.Color()), Is.SubsetOf(ChartPalette.All).And.Unique);
        Assert.That(Stratum.Random.DisplayName(), Is.EqualTo("Random tokens"));
    }

    [Test]
    public void Panels_HaveCategoryAxisWithStratumNames_AndTitledValueAxisContainingAllErrorBars()
    {
        var comparison = SampleData.Comparison();
        var chart = ComparisonChartBuilder.Build(comparison);

        Assert.That(chart.Panels, Has.Count.EqualTo(5));
        Assert.That(comparison.Strata, Has.Count.EqualTo(3));
        foreach (var panel in chart.Panels)
        {
            var category = panel.Axes.OfType<CategoryAxis>().Single();
            Assert.That(category.Position, Is.EqualTo(AxisPosition.Bottom));
            Assert.That(category.Labels, Is.EqualTo(new[] { "Correct", "Incorrect", "Random tokens" }));

            var value = panel.Axes.OfType<LinearAxis>().Single(a => a is not CategoryAxis);
            Assert.That(value.Title, Is.EqualTo(ComparisonChartBuilder.ValueAxisTitle));
            foreach (var summary in comparison.Strata.Values)
            {
                var s = summary.Metrics[panel.Title];
                Assert.That(value.Minimum, Is.LessThan(Math.Min(0, s.Mean - s.Std)), panel.Title);
                Assert.That(value.Maximum, Is.GreaterThanOrEqualTo(Math.Max(0, s.Mean + s.Std)), panel.Title);
            }
        }
    }

    [Test]
    public void ValueLabels_SitAtTheBarEnd_InsideTallBars_AndJustBeyondShortOnes()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());
        var outToken = Labels(chart.Panels[0]);
        var energy = Labels(chart.Panels[4]);

        Assert.That(outToken.Select(l => l.Text), Is.EqualTo(new[] { "-312.4", "-356.9", "-1188" }));
        Assert.That(outToken[0].TextPosition.Y, Is.EqualTo(-312.4), "at the bar end, not at the whisker end");
        Assert.That(outToken[0].TextVerticalAlignment, Is.EqualTo(VerticalAlignment.Bottom), "inside a tall negative bar: above its end");
        Assert.That(energy.Select(l => l.Text), Is.EqualTo(new[] { "0.731", "0.612", "0.204" }));
        Assert.That(energy[0].TextPosition.Y, Is.EqualTo(0.731));
        Assert.That(energy[0].TextVerticalAlignment, Is.EqualTo(VerticalAlignment.Top), "inside a tall positive bar: below its end");

        var tiny = Labels(ComparisonChartBuilder.Build(Geometry.ChartCatalog.DemoLikeComparison()).Panels[0]);
        var random = tiny.Single(l => l.Text == "-5.7E-04");
        Assert.That(random.TextPosition.Y, Is.EqualTo(-5.7e-4), "a bar too short for its label: at its end");
        Assert.That(random.TextVerticalAlignment, Is.EqualTo(VerticalAlignment.Top), "below the end of a short negative bar");
    }

    [Test]
    public void Whiskers_AreClippedToTheMetricDomain_WithoutACapAtTheCut()
    {
        var chart = ComparisonChartBuilder.Build(Geometry.ChartCatalog.DemoLikeComparison());
        var energy = Whiskers(chart.Panels[4]);
        Assert.That(energy.Select(w => w.Low), Is.All.EqualTo(0.0), "prob_energy ≥ 0");
        Assert.That(energy.Select(w => w.LowCap), Is.All.False, "the cut end has no cap");
        Assert.That(energy.Select(w => w.HighCap), Is.All.True);
        var outToken = Whiskers(chart.Panels[0]);
        Assert.That(outToken.Select(w => w.High), Is.All.EqualTo(0.0), "log-probabilities ≤ 0");
        var axis = chart.Panels[4].Axes.OfType<LinearAxis>().Single(a => a is not CategoryAxis);
        Assert.That(-axis.Minimum, Is.LessThanOrEqualTo(0.05 * (axis.Maximum - axis.Minimum)), "below 0 only a small margin, not down to mean − std");
    }

    [Test]
    public void Footer_HasTheThreeCountsAndAccuracy()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());

        Assert.That(chart.Layout.Footer, Does.Contain("Correct: n = 118"));
        Assert.That(chart.Layout.Footer, Does.Contain("Incorrect: n = 82"));
        Assert.That(chart.Layout.Footer, Does.Contain("Random tokens: n = 50"));
        Assert.That(chart.Layout.Footer, Does.Contain("Accuracy: 59.0%"));
    }

    [Test]
    public void WithoutRandomData_DrawsTwoGroups_AndLegendOfTwo()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison(withRandom: false));

        Assert.That(chart.Layout.Legend!.Select(e => e.Label), Is.EqualTo(new[] { "Correct", "Incorrect" }));
        Assert.That(chart.Layout.Legend!.Select(e => e.Color), Is.EqualTo(new[] { Stratum.Correct.Color(), Stratum.Incorrect.Color() }));
        Assert.That(chart.Panels, Has.Count.EqualTo(5));
        foreach (var panel in chart.Panels)
        {
            Assert.That(Bars(panel).Items, Has.Count.EqualTo(2));
            Assert.That(panel.Axes.OfType<CategoryAxis>().Single().Labels, Has.Count.EqualTo(2));
        }

        Assert.That(chart.Layout.Footer, Does.Contain("Random tokens: n = 0"));
    }

    [Test]
    public void RandomStratumWithZeroAnswers_IsTreatedAsAbsent()
    {
        var strata = new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = SampleData.Summary(Stratum.Correct),
            [Stratum.Incorrect] = SampleData.Summary(Stratum.Incorrect),
            [Stratum.Random] = new StratumSummary(0, new Dictionary<string, MetricStats>()),
        };

        var chart = ComparisonChartBuilder.Build(new DatasetComparison("math", strata));

        Assert.That(chart.Layout.Legend, Has.Count.EqualTo(2));
    }

    [Test]
    public void NaNMean_GivesNoBar_AndAnNaLabel()
    {
        var correct = SampleData.Summary(Stratum.Correct);
        var metrics = new Dictionary<string, MetricStats>(correct.Metrics)
        {
            [LdMetricKeys.ANorm] = new MetricStats(double.NaN, double.NaN, 0),
        };
        var strata = new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = correct with { Metrics = metrics },
            [Stratum.Incorrect] = SampleData.Summary(Stratum.Incorrect),
        };

        var panel = ComparisonChartBuilder.Build(new DatasetComparison("math", strata)).Panels[2];

        var items = Bars(panel).Items.ToList();
        Assert.That(items.Select(i => i.CategoryIndex), Is.EqualTo(new[] { 1 }), "only the Incorrect bar remains");
        Assert.That(Labels(panel)[0].Text, Is.EqualTo("n/a"));
        Assert.That(Labels(panel)[0].TextPosition.Y, Is.EqualTo(0));
        Assert.That(Labels(panel).Select(l => l.Text), Has.No.Member(ComparisonChartBuilder.NoDataText));
    }

    [Test]
    public void EmptyStrata_GiveNaEverywhere_ZeroCounts_AndAValidAxis()
    {
        var chart = ComparisonChartBuilder.Build(new DatasetComparison("empty", new Dictionary<Stratum, StratumSummary>()));

        Assert.That(chart.Panels, Has.Count.EqualTo(5));
        foreach (var panel in chart.Panels)
        {
            Assert.That(Bars(panel).Items, Is.Empty);
            Assert.That(Labels(panel).Select(l => l.Text), Is.EqualTo(new[] { "n/a", "n/a", ComparisonChartBuilder.NoDataText }));
            var value = panel.Axes.OfType<LinearAxis>().Single(a => a is not CategoryAxis);
            Assert.That(value.Maximum, Is.GreaterThan(value.Minimum));
            Assert.That(value.IsAxisVisible, Is.False, "a 0..1 axis without data would be misleading");
        }

        Assert.That(chart.Layout.Footer, Does.Contain("Correct: n = 0").And.Contain("Accuracy: n/a"));
    }

    [Test]
    public void NaNStd_GivesBarWithoutErrorBar()
    {
        var metrics = LdMetricKeys.Charted.ToDictionary(m => m, _ => new MetricStats(5, double.NaN, 1));
        var strata = new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = new StratumSummary(1, metrics),
        };

        var panel = ComparisonChartBuilder.Build(new DatasetComparison("one", strata)).Panels[0];

        var item = Bars(panel).Items.Single();
        Assert.That(item.Value, Is.EqualTo(5));
        Assert.That(Whiskers(panel), Is.Empty);
    }

    [Test]
    public void NegativeStd_IsRejectedNamingDatasetStratumMetricAndField()
    {
        var metrics = new Dictionary<string, MetricStats> { [LdMetricKeys.ProbEnergy] = new MetricStats(0.5, -0.1, 3) };
        var strata = new Dictionary<Stratum, StratumSummary> { [Stratum.Incorrect] = new StratumSummary(3, metrics) };

        var ex = Assert.Throws<PlotDataException>(() => ComparisonChartBuilder.Build(new DatasetComparison("aime", strata)));

        Assert.That(ex!.Dataset, Is.EqualTo("aime"));
        Assert.That(ex.Field, Is.EqualTo("Std"));
        Assert.That(ex.Message, Does.Contain("Incorrect").And.Contain("prob_energy"));
    }

    [Test]
    public void NegativeAnswerCount_AndEmptyDatasetName_AreRejected()
    {
        var bad = new Dictionary<Stratum, StratumSummary> { [Stratum.Correct] = new StratumSummary(-1, new Dictionary<string, MetricStats>()) };

        Assert.That(() => ComparisonChartBuilder.Build(new DatasetComparison("x", bad)),
            Throws.TypeOf<PlotDataException>().With.Property(nameof(PlotDataException.Field)).EqualTo("AnswerCount"));
        Assert.That(() => ComparisonChartBuilder.Build(new DatasetComparison(" ", new Dictionary<Stratum, StratumSummary>())),
            Throws.TypeOf<PlotDataException>().With.Property(nameof(PlotDataException.Field)).EqualTo("Dataset"));
    }

    [Test]
    public void FromStats_TakesTheLargestMetricCountAsAnswerCount()
    {
        var stats = new Dictionary<Stratum, IReadOnlyDictionary<string, MetricStats>>
        {
            [Stratum.Correct] = new Dictionary<string, MetricStats> { ["A_norm"] = new(1, 0.1, 7), ["out_token"] = new(-3, 1, 9) },
            [Stratum.Random] = new Dictionary<string, MetricStats>(),
        };

        var comparison = DatasetComparison.FromStats("d", stats, "iter0");

        Assert.That(comparison.CountOf(Stratum.Correct), Is.EqualTo(9));
        Assert.That(comparison.CountOf(Stratum.Random), Is.EqualTo(0));
        Assert.That(comparison.HasRandom, Is.False);
        Assert.That(comparison.Accuracy, Is.EqualTo(1.0));
        Assert.That(comparison.Get(Stratum.Correct)!.Get("A_norm"), Is.EqualTo(new MetricStats(1, 0.1, 7)));
    }

    [Test]
    public void ValueRange_IncludesZero_AndLeavesRoomForLabelsOnTheLabelSide()
    {
        var (min, max) = ComparisonChartBuilder.ValueRange([new MetricStats(10, 2, 5), new MetricStats(4, 1, 5)]);

        Assert.That(min, Is.LessThan(0).And.GreaterThan(-1), "only a small margin below the zero base");
        Assert.That(max, Is.GreaterThan(12 * 1.1), "room above the tallest error bar for its label");
    }
}
