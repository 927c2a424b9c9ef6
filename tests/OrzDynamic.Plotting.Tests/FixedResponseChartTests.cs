using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Export;
using OxyPlot.Axes;
using SkiaSharp;

namespace OrzDynamic.Plotting.Tests;

/// <summary>Fixed-response trend charts and per-token heatmaps: layout decisions and real, non-trivial PNGs.</summary>
[TestFixture]
public class FixedResponseChartTests
{
    private string dir = "";

    [SetUp]
    public void SetUp() => this.dir = Directory.CreateTempSubdirectory("orz-fixed-charts-").FullName;

    [TearDown]
    public void TearDown()
    {
        if (Environment.GetEnvironmentVariable("ORZ_KEEP_FIXTURES") == "1") TestContext.Progress.WriteLine("kept " + this.dir);   // to look at the PNGs
        else Directory.Delete(this.dir, recursive: true);
    }

    private static TokenHeatmap Heatmap(int tokens, int checkpoints = 3)
    {
        var rng = new Random(5);
        var rows = Enumerable.Range(0, checkpoints).Select(c =>
            (IReadOnlyList<double>)Enumerable.Range(0, tokens).Select(t => -8.0 * rng.NextDouble() / (1 + (2 * c))).ToArray()).ToArray();
        return new TokenHeatmap("math500#12", "math500#12: log p per token",
            Enumerable.Range(0, checkpoints).Select(c => $"iter{c * 100}").ToArray(), Enumerable.Range(0, checkpoints).Select(c => c * 100).ToArray(),
            Enumerable.Range(0, tokens).Select(t => t % 7 == 0 ? " the" : t % 11 == 0 ? "\n" : $"t{t}").ToArray(), rows);
    }

    [Test]
    public void HeatmapPng_IsWrittenAndNonTrivial()
    {
        var path = new FixedResponseChartWriter().SaveHeatmap(Heatmap(40), this.dir);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(20_000), "a heatmap with two panels, axes and labels");
        using var bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap.Width, Is.GreaterThanOrEqualTo(1000));
        Assert.That(bitmap.Height, Is.GreaterThan(500));
        // Pixel variance of the luminance: a blank or single-colour image has (almost) none.
        var lum = new List<double>();
        for (var y = 0; y < bitmap.Height; y += 3)
            for (var x = 0; x < bitmap.Width; x += 3)
            {
                var p = bitmap.GetPixel(x, y);
                lum.Add((0.299 * p.Red) + (0.587 * p.Green) + (0.114 * p.Blue));
            }
        var mean = lum.Average();
        var variance = lum.Sum(v => (v - mean) * (v - mean)) / lum.Count;
        Assert.That(variance, Is.GreaterThan(500), "pixel variance");
        Assert.That(PngAssert.NonBackgroundFraction(bitmap), Is.GreaterThan(0.2));
    }

    [Test]
    public void LongAnswers_AreElidedInTheMiddle_WithAGapColumn()
    {
        var columns = TokenHeatmapChartBuilder.Columns(300);
        Assert.That(columns, Has.Length.EqualTo(TokenHeatmapChartBuilder.MaxColumns));
        Assert.That(columns, Has.Exactly(1).EqualTo(-1));
        Assert.That(columns[0], Is.Zero);
        Assert.That(columns[^1], Is.EqualTo(299));
        var chart = TokenHeatmapChartBuilder.Build(Heatmap(300));
        var x = chart.Panels[0].Axes.OfType<CategoryAxis>().Single(a => a.Position == AxisPosition.Bottom);
        Assert.That(x.Labels, Has.Count.EqualTo(TokenHeatmapChartBuilder.MaxColumns).And.Contains(TokenHeatmapChartBuilder.GapLabel));
        Assert.That(chart.Layout.Subtitle, Does.Contain("300 response tokens").And.Contain("elided"));
        new FixedResponseChartWriter().SaveHeatmap(Heatmap(300), this.dir);
        Assert.That(TokenHeatmapChartBuilder.Columns(30), Is.EqualTo(Enumerable.Range(0, 30)));
    }

    [Test]
    public void TokenLabels_ShowWhitespaceAndAreShortened()
    {
        Assert.That(TokenHeatmapChartBuilder.TokenLabel(" the"), Is.EqualTo("·the"));
        Assert.That(TokenHeatmapChartBuilder.TokenLabel("\n"), Is.EqualTo("⏎"));
        Assert.That(TokenHeatmapChartBuilder.TokenLabel(""), Is.EqualTo("∅"));
        Assert.That(TokenHeatmapChartBuilder.TokenLabel("<|endoftext|>"), Has.Length.EqualTo(TokenHeatmapChartBuilder.MaxLabelLength).And.EndsWith("…"));
    }

    [Test]
    public void DeltaPanel_IsTheChangeFromTheFirstCheckpoint()
    {
        var h = Heatmap(5);
        var delta = h.DeltaFromFirst;
        Assert.That(delta[0], Is.All.EqualTo(0.0));
        Assert.That(delta[2][3], Is.EqualTo(h.LogProbs[2][3] - h.LogProbs[0][3]).Within(1e-12));
    }

    private static FixedResponseTrend Trend(double[] outToken, int items)
    {
        int[] it = [0, 1200, 2200];
        IReadOnlyDictionary<string, TrendSeries> Metrics(double scale) => LdMetricKeys.All.ToDictionary(m => m,
            m => new TrendSeries(it, m == LdMetricKeys.OutToken ? outToken.Select(v => v * scale).ToArray() : [0.9, 0.5, 0.4]));
        var series = new List<FixedResponseSeries> { new("all", false, 10, Metrics(1)), new("chosen", false, 5, Metrics(0.9)), new("rejected", false, 5, Metrics(1.1)) };
        series.AddRange(Enumerable.Range(0, items).Select(i => new FixedResponseSeries($"sentence number {i}", true, 1, Metrics(1 + (0.01 * i)))));
        return new FixedResponseTrend("custom_sentence_pairs", "Custom sentences — pairs", "pairs.jsonl", series);
    }

    [Test]
    public void MetricsSpanningOrdersOfMagnitude_AreDrawnByMagnitudeOnALogAxis()
    {
        var wide = FixedResponseChartBuilder.Build(Trend([-160, -1.5, -0.1], 0));
        Assert.That(wide.Panels[0].Title, Is.EqualTo("−out_token (log scale)"));
        Assert.That(wide.Panels[0].Axes.OfType<LogarithmicAxis>(), Has.Exactly(1).Items);
        var narrow = FixedResponseChartBuilder.Build(Trend([-20, -15, -12], 0));
        Assert.That(narrow.Panels[0].Title, Is.EqualTo(LdMetricKeys.OutToken));
        Assert.That(narrow.Panels[0].Axes.OfType<LogarithmicAxis>(), Is.Empty);
    }

    [Test]
    public void TrendChart_NamesGroupsAndItemLinesInTheLegend_AndRenders()
    {
        var trend = Trend([-160, -1.5, -0.1], 12);
        var chart = FixedResponseChartBuilder.Build(trend);
        var legend = chart.Layout.Legend!.Select(e => e.Label).ToArray();
        Assert.That(legend, Has.Length.EqualTo(15));
        Assert.That(legend[1], Is.EqualTo("chosen (mean of 5)"));
        Assert.That(legend, Does.Contain("sentence number 11"));
        var path = new FixedResponseChartWriter().SaveTrend(trend, this.dir);
        using var bitmap = PngAssert.DecodesWithSize(path, FixedResponseChartBuilder.DefaultWidth, FixedResponseChartBuilder.DefaultHeight);
        Assert.That(PngAssert.CountColour(bitmap, "#009e73"), Is.GreaterThan(50), "the chosen group is drawn in bluish green");
        Assert.That(PngAssert.CountColour(bitmap, "#d55e00"), Is.GreaterThan(50), "the rejected group is drawn in vermillion");
        Assert.That(chart.Layout.LegendNote, Does.Contain("single texts: thin dashed lines").And.Not.Contain("more only in the means"));
        var twenty = trend with { Series = [trend.Series[0] with { Count = 20 }, .. trend.Series.Skip(1)] };
        Assert.That(FixedResponseChartBuilder.Build(twenty).Layout.LegendNote, Does.Contain("12 of 20 drawn (8 more only in the means)"),
            "texts without a line of their own are named on the chart");
        var colours = chart.Layout.Legend!.Select(e => e.Color).ToArray();
        Assert.That(colours.All(ChartPalette.All.Contains), Is.True, "Okabe–Ito hues only");
        Assert.That(colours.Take(3), Is.Unique, "the means have distinct hues");
        Assert.That(colours.Skip(3), Has.None.AnyOf(colours.Take(3).Cast<object>().ToArray()), "no single text shares a mean's hue");
        var looks = chart.Layout.Legend!.Skip(3).Select(e => (e.Color, e.LineStyle)).ToArray();
        Assert.That(looks, Is.Unique, "no two single-text lines look alike");
    }
}
