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
    private static ErrorBarSeries Bars(PlotModel panel) => panel.Series.OfType<ErrorBarSeries>().Single();

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
    public void Panels_HaveBarsEqualToMeans_ErrorsEqualToStd_ColouredByStratum()
    {
        var comparison = SampleData.Comparison();
        var chart = ComparisonChartBuilder.Build(comparison);
        Stratum[] strata = [Stratum.Correct, Stratum.Incorrect, Stratum.Random];

        for (var m = 0; m < LdMetricKeys.Charted.Count; m++)
        {
            var metric = LdMetricKeys.Charted[m];
            var panel = chart.Panels[m];
            Assert.That(panel.Series, Has.Count.EqualTo(1), metric);
            var items = Bars(panel).Items.Cast<ErrorBarItem>().ToList();
            Assert.That(items, Has.Count.EqualTo(3), metric);
            for (var i = 0; i < 3; i++)
            {
                var expected = comparison.Strata[strata[i]].Metrics[metric];
                Assert.That(items[i].CategoryIndex, Is.EqualTo(i));
                Assert.That(items[i].Value, Is.EqualTo(expected.Mean), $"{metric} {strata[i]} mean");
                Assert.That(items[i].Error, Is.EqualTo(expected.Std), $"{metric} {strata[i]} std");
                Assert.That(items[i].Color, Is.EqualTo(strata[i].Color()), $"{metric} {strata[i]} colour");
            }
        }
    }

    [Test]
    public void StratumColours_AreTheSpecifiedOnes()
    {
        Assert.That(Stratum.Correct.Color(), Is.EqualTo(OxyColor.FromRgb(0x2e, 0xcc, 0x71)));
        Assert.That(Stratum.Incorrect.Color(), Is.EqualTo(OxyColor.FromRgb(0xe7, 0x4c, 0x3c)));
        Assert.That(Stratum.Random.Color(), Is.EqualTo(OxyColor.FromRgb(0x34, 0x98, 0xdb)));
        Assert.That(Stratum.Random.DisplayName(), Is.EqualTo("Random tokens"));
    }

    [Test]
    public void Panels_HaveCategoryAxisWithStratumNames_AndTitledValueAxisContainingAllErrorBars()
    {
        var comparison = SampleData.Comparison();
        var chart = ComparisonChartBuilder.Build(comparison);

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
    public void ValueLabels_ShowTheMeans_BeyondTheErrorBarEnds()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());
        var outToken = Labels(chart.Panels[0]);
        var energy = Labels(chart.Panels[4]);

        Assert.That(outToken.Select(l => l.Text), Is.EqualTo(new[] { "-312.4", "-356.9", "-1188" }));
        Assert.That(outToken[0].TextPosition.Y, Is.EqualTo(-312.4 - 41.2).Within(1e-9), "negative bar: label below mean − std");
        Assert.That(outToken[0].TextVerticalAlignment, Is.EqualTo(VerticalAlignment.Top));
        Assert.That(energy.Select(l => l.Text), Is.EqualTo(new[] { "0.731", "0.612", "0.204" }));
        Assert.That(energy[0].TextPosition.Y, Is.EqualTo(0.731 + 0.052).Within(1e-9), "positive bar: label above mean + std");
        Assert.That(energy[0].TextVerticalAlignment, Is.EqualTo(VerticalAlignment.Bottom));
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

        var items = Bars(panel).Items.Cast<ErrorBarItem>().ToList();
        Assert.That(items.Select(i => i.CategoryIndex), Is.EqualTo(new[] { 1 }), "only the Incorrect bar remains");
        Assert.That(Labels(panel)[0].Text, Is.EqualTo("n/a"));
        Assert.That(Labels(panel)[0].TextPosition.Y, Is.EqualTo(0));
        Assert.That(Labels(panel).Select(l => l.Text), Has.No.Member(ComparisonChartBuilder.NoDataText));
    }

    [Test]
    public void EmptyStrata_GiveNaEverywhere_ZeroCounts_AndAValidAxis()
    {
        var chart = ComparisonChartBuilder.Build(new DatasetComparison("empty", new Dictionary<Stratum, StratumSummary>()));

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

        var item = Bars(panel).Items.Cast<ErrorBarItem>().Single();
        Assert.That(item.Value, Is.EqualTo(5));
        Assert.That(item.Error, Is.EqualTo(0));
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
