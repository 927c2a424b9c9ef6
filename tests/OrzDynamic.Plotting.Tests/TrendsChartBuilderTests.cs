using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Core.Aggregation;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Plotting.Tests;

public class TrendsChartBuilderTests
{
    [Test]
    public void Build_IsA2x3GridOfFiveMetricsPlusAccuracy()
    {
        var chart = TrendsChartBuilder.Build(SampleData.Trend());

        Assert.That(chart.Layout.Rows, Is.EqualTo(2));
        Assert.That(chart.Layout.Columns, Is.EqualTo(3));
        Assert.That(chart.Panels.Select(p => p.Title), Is.EqualTo(LdMetricKeys.Charted.Append("Accuracy")));
        Assert.That(chart.Layout.Legend!.Select(l => l.Label), Is.EqualTo(new[] { "Correct", "Incorrect", "Random tokens" }));
        Assert.That(chart.Layout.Subtitle, Does.Contain("0, 45, 90"));
    }

    [Test]
    public void MetricPanel_HasOneMarkedLinePerStratum_WithTheStratumColourAndTheValues()
    {
        var trend = SampleData.Trend();
        var panel = TrendsChartBuilder.Build(trend).Panels[2]; // A_norm

        var lines = panel.Series.OfType<LineSeries>().ToList();
        Assert.That(lines.Select(l => l.Title), Is.EqualTo(new[] { "Correct", "Incorrect", "Random tokens" }));
        for (var i = 0; i < 3; i++)
        {
            var stratum = Strata.Values[i];
            var expected = trend.Get(stratum, LdMetricKeys.ANorm);
            Assert.That(lines[i].Color, Is.EqualTo(stratum.Color()));
            Assert.That(lines[i].MarkerType, Is.EqualTo(stratum.Marker()).And.Not.EqualTo(MarkerType.None));
            Assert.That(lines[i].Points.Select(p => p.X), Is.EqualTo(new double[] { 0, 45, 90 }));
            Assert.That(lines[i].Points.Select(p => p.Y), Is.EqualTo(expected.Values));
        }

        var x = panel.Axes.Single(a => a.Position == AxisPosition.Bottom);
        var y = panel.Axes.Single(a => a.Position == AxisPosition.Left);
        Assert.That(x.Title, Is.EqualTo("Iteration"));
        Assert.That(y.Title, Is.EqualTo(LdMetricKeys.ANorm));
        Assert.That(x.Minimum, Is.LessThan(0));
        Assert.That(x.Maximum, Is.GreaterThan(90));
        Assert.That(x, Is.TypeOf<IterationAxis>());
        ((IterationAxis)x).GetTickValues(out var labels, out _, out _);
        Assert.That(labels, Is.EqualTo(new double[] { 0, 45, 90 }), "ticks sit on the checkpoints");
    }

    [Test]
    public void IterationAxis_FallsBackToAutomaticTicks_ForManyCheckpoints()
    {
        var many = new IterationAxis(Enumerable.Range(0, 40).Select(i => i * 5.0));
        var few = new IterationAxis([90, 0, 45, 45]);

        Assert.That(many.UsesExplicitTicks, Is.False);
        Assert.That(few.UsesExplicitTicks, Is.True);
        Assert.That(few.Iterations, Is.EqualTo(new double[] { 0, 45, 90 }));
    }

    [Test]
    public void MetricWithoutData_ShowsNoDataAnnotation_AndNoSeries()
    {
        var panel = TrendsChartBuilder.Build(SampleData.Trend()).Panels[3]; // prob_gap2_mean is all NaN

        Assert.That(panel.Series, Is.Empty);
        Assert.That(panel.Annotations.OfType<TextAnnotation>().Single().Text, Is.EqualTo("No Data"));
    }

    [Test]
    public void NonFiniteValues_AreSkipped_NotPlotted()
    {
        var metrics = new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Correct] = new Dictionary<string, TrendSeries>
            {
                [LdMetricKeys.OutToken] = new([0, 10, 20], [-1, double.NaN, -3]),
            },
        };

        var panel = TrendsChartBuilder.BuildMetricPanel(new DatasetTrend("d", metrics), LdMetricKeys.OutToken);

        var line = panel.Series.OfType<LineSeries>().Single();
        Assert.That(line.Points, Is.EqualTo(new[] { new DataPoint(0, -1), new DataPoint(20, -3) }));
    }

    [Test]
    public void AccuracyPanel_IsInPercent_WithAxisTitleAndPointLabels()
    {
        var panel = TrendsChartBuilder.Build(SampleData.Trend()).Panels[5];

        var line = panel.Series.OfType<LineSeries>().Single();
        Assert.That(line.Points.Select(p => p.Y), Is.EqualTo(new[] { 41.2, 53.8, 59.1 }).Within(1e-9));
        var labels = panel.Annotations.OfType<TextAnnotation>().ToList();
        Assert.That(labels.Select(l => l.Text), Is.EqualTo(new[] { "41.2%", "53.8%", "59.1%" }));
        Assert.That(labels.Select(l => l.TextPosition), Is.EqualTo(line.Points), "each label sits at its point");
        var y = panel.Axes.Single(a => a.Position == AxisPosition.Left);
        Assert.That(y.Title, Is.EqualTo("Accuracy (%)"));
        Assert.That(y.Minimum, Is.LessThan(0), "a 0 % point is not cut by the frame");
        Assert.That(y.Maximum, Is.GreaterThan(110), "room above 100 % for the point's label");
    }

    [Test]
    public void MissingAccuracy_AndMissingStrata_GiveNoDataPanels()
    {
        var chart = TrendsChartBuilder.Build(new DatasetTrend("bare", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>()));

        Assert.That(chart.Panels, Has.Count.EqualTo(6));
        foreach (var panel in chart.Panels)
        {
            Assert.That(panel.Annotations.OfType<TextAnnotation>().Single().Text, Is.EqualTo(TrendsChartBuilder.NoDataText), panel.Title);
        }

        Assert.That(chart.Layout.Legend, Is.Empty);
        Assert.That(chart.Layout.Subtitle, Is.EqualTo("No checkpoints"));
    }

    [Test]
    public void SingleCheckpoint_GivesAxisWithPositiveSpan()
    {
        var metrics = new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Incorrect] = new Dictionary<string, TrendSeries> { [LdMetricKeys.ProbEnergy] = new([45], [0.5]) },
        };

        var panel = TrendsChartBuilder.BuildMetricPanel(new DatasetTrend("d", metrics), LdMetricKeys.ProbEnergy);

        var x = panel.Axes.Single(a => a.Position == AxisPosition.Bottom);
        var y = panel.Axes.Single(a => a.Position == AxisPosition.Left);
        Assert.That(x.Minimum, Is.LessThan(45));
        Assert.That(x.Maximum, Is.GreaterThan(45));
        Assert.That(y.Minimum, Is.LessThan(0.5));
        Assert.That(y.Maximum, Is.GreaterThan(0.5));
    }

    [Test]
    public void MismatchedLengths_UnorderedIterations_AndPercentAccuracy_AreRejected()
    {
        static DatasetTrend With(TrendSeries series, TrendSeries? accuracy = null) => new(
            "gsm8k",
            new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
            {
                [Stratum.Correct] = new Dictionary<string, TrendSeries> { [LdMetricKeys.ANorm] = series },
            },
            accuracy);

        var lengths = Assert.Throws<PlotDataException>(() => TrendsChartBuilder.Build(With(new([0, 45], [1.0]))));
        Assert.That(lengths!.Field, Is.EqualTo("Values"));
        Assert.That(lengths.Record, Does.Contain("Correct").And.Contain("A_norm"));

        var order = Assert.Throws<PlotDataException>(() => TrendsChartBuilder.Build(With(new([45, 0], [1.0, 2.0]))));
        Assert.That(order!.Field, Is.EqualTo("Iterations"));

        var percent = Assert.Throws<PlotDataException>(() => TrendsChartBuilder.Build(With(new([0], [1.0]), new([0], [59.0]))));
        Assert.That(percent!.Record, Does.Contain("accuracy"));
    }
}
