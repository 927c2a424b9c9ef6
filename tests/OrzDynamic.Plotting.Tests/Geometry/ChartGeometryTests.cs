using OrzDynamic.Plotting.Charts;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;

namespace OrzDynamic.Plotting.Tests.Geometry;

/// <summary>
/// Renders every chart type and checks its geometry from the OxyPlot models after layout: every label lies inside
/// its panel's plot area (through the axes' transforms), no two texts of a panel overlap and none is cut by the panel's
/// edge, and series with equal values stay visible side by side with each other.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ChartGeometryTests
{
    /// <summary>Slack for anti-aliasing and rounding, in pixels.</summary>
    private const double Tolerance = 1.0;

    /// <summary>Smallest gap between two texts, in pixels: glyph ink (descenders, underscores) reaches to the edge of
    /// the measured box, so touching boxes look like overlapping text.</summary>
    private const double MinimumGap = 2.0;

    /// <summary>The narrowest rim, in pixels, by which a series drawn underneath must stick out on each side of an
    /// equal series drawn over it.</summary>
    private const double MinimumRim = 0.8;

    private static IEnumerable<TestCaseData> Charts() => ChartCatalog.All();

    [TestCaseSource(nameof(Charts))]
    public void EveryLabelLiesInsideThePlotArea(Func<RenderedChart> render)
    {
        var chart = render();
        using var measure = new SkiaRenderContext { UseTextShaping = true };
        var checkedLabels = 0;
        foreach (var panel in chart.Chart.Panels)
        {
            Assert.That(panel.Series.OfType<LineSeries>().Where(s => !string.IsNullOrEmpty(s.LabelFormatString)), Is.Empty,
                $"{chart} '{panel.Title}': point labels are text annotations, whose boxes this test checks");
            var area = panel.PlotArea;
            foreach (var label in panel.Annotations.OfType<TextAnnotation>().Where(a => !string.IsNullOrEmpty(a.Text)))
            {
                var at = label.XAxis!.Transform(label.TextPosition.X, label.TextPosition.Y, label.YAxis) + label.Offset;
                var fontSize = double.IsNaN(label.FontSize) ? panel.DefaultFontSize : label.FontSize;
                var size = measure.MeasureText(label.Text, panel.DefaultFont, fontSize, label.FontWeight);
                var box = TextRecorder.BoxOf(at, size, label.TextRotation, label.TextHorizontalAlignment, label.TextVerticalAlignment);
                Assert.That(Inside(box, area), Is.True, $"{chart} '{panel.Title}': label '{label.Text}' at {Describe(box)} leaves the plot area {Describe(area)}");
                checkedLabels++;
            }
        }

        if (chart.Name.StartsWith("comparison", StringComparison.Ordinal) || chart.Name.StartsWith("trends", StringComparison.Ordinal))
        {
            Assert.That(checkedLabels, Is.GreaterThan(0), $"{chart}: the chart has value labels to check");
        }
    }

    [TestCaseSource(nameof(Charts))]
    public void NoTextOverlapsAnotherOrIsClipped(Func<RenderedChart> render)
    {
        var chart = render();
        for (var p = 0; p < chart.Chart.Panels.Count; p++)
        {
            var panel = chart.Chart.Panels[p];
            var texts = chart.Texts[p];
            Assert.That(texts, Is.Not.Empty, $"{chart} '{panel.Title}': texts were recorded");
            foreach (var text in texts)
            {
                Assert.That(Inside(text.Box, panel.PlotBounds), Is.True,
                    $"{chart} '{panel.Title}': '{text.Text}' at {Describe(text.Box)} is cut by the panel edge {Describe(panel.PlotBounds)}");
                if (text.Clip is { } clip)
                {
                    Assert.That(Inside(text.Box, clip), Is.True,
                        $"{chart} '{panel.Title}': '{text.Text}' at {Describe(text.Box)} is cut by the clipping rectangle {Describe(clip)}");
                }
            }

            for (var i = 0; i < texts.Count; i++)
            {
                for (var j = i + 1; j < texts.Count; j++)
                {
                    Assert.That(Overlap(Inflate(texts[i].Box, MinimumGap / 2), Inflate(texts[j].Box, MinimumGap / 2)), Is.Zero,
                        $"{chart} '{panel.Title}': '{texts[i].Text}' {Describe(texts[i].Box)} is closer than {MinimumGap} px to '{texts[j].Text}' {Describe(texts[j].Box)}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Charts))]
    public void SeriesWithEqualValuesAreBothVisible(Func<RenderedChart> render)
    {
        var chart = render();
        var pairs = 0;
        foreach (var panel in chart.Chart.Panels)
        {
            var lines = panel.Series.OfType<LineSeries>().Where(s => s is not AreaSeries && s.Title != ComparisonChartBuilder.WhiskersTitle).ToList();
            for (var below = 0; below < lines.Count; below++)
            {
                for (var above = below + 1; above < lines.Count; above++)
                {
                    var (under, over) = (lines[below], lines[above]);
                    if (!SameScreenPoints(under, over))
                    {
                        continue;
                    }

                    pairs++;
                    var where = $"{chart} '{panel.Title}': '{under.Title}' under '{over.Title}'";
                    // Solid lines: distinct colours, and the lower one wider by a rim on each side. Dashed (single-item)
                    // lines: a different dash pattern, so the lower one shows through the upper one's gaps, and a
                    // different colour or pattern tells them apart.
                    var differentDash = under.LineStyle != over.LineStyle;
                    if (under.LineStyle == LineStyle.Solid && over.LineStyle == LineStyle.Solid)
                    {
                        Assert.That(under.ActualColor, Is.Not.EqualTo(over.ActualColor), $"{where}: distinct colours");
                    }

                    Assert.That(differentDash || under.StrokeThickness - over.StrokeThickness >= 2 * MinimumRim, Is.True,
                        $"{where}: the lower line ({under.StrokeThickness} px, {under.LineStyle}) must show beside or through the upper one ({over.StrokeThickness} px, {over.LineStyle})");
                    if (under.MarkerType != MarkerType.None && over.MarkerType != MarkerType.None)
                    {
                        Assert.That(under.MarkerType, Is.Not.EqualTo(over.MarkerType), $"{where}: distinct marker shapes");
                        Assert.That(
                            SeriesNesting.Extent(under.MarkerType, under.MarkerSize) - SeriesNesting.Extent(over.MarkerType, over.MarkerSize),
                            Is.GreaterThanOrEqualTo(2 * MinimumRim), $"{where}: the lower marker sticks out around the upper one");
                    }
                }
            }
        }

        if (chart.Name.StartsWith("trends ±", StringComparison.Ordinal) || chart.Name.StartsWith("trends CI", StringComparison.Ordinal) || chart.Name.StartsWith("probe", StringComparison.Ordinal)
            || chart.Name.StartsWith("fixed", StringComparison.Ordinal))
        {
            Assert.That(pairs, Is.GreaterThan(0), $"{chart}: the data has coinciding series to check");
        }
    }

    [Test]
    public void TheLegendSaysHowCoincidingSeriesAreDrawn()
    {
        var trends = TrendsChartBuilder.Build(ChartCatalog.CoincidingTrend());
        Assert.That(trends.Layout.LegendNote, Does.Contain("nested").And.Contain("Correct widest"));
        Assert.That(trends.Layout.Legend!.All(e => e.IsLineSample), Is.True, "the trend legend shows line samples");
        Assert.That(trends.Layout.Legend!.Select(e => e.LineThickness), Is.Ordered.Descending, "legend widths match the nesting");

        var probe = FixedResponseChartBuilder.Build(ChartCatalog.ProbeAnswers());
        Assert.That(probe.Layout.LegendNote, Does.Contain("nested").And.Contain("all widest"));
        var legend = probe.Layout.Legend!;
        Assert.That(legend.Take(2).All(e => e.LineStyle == LineStyle.Solid && e.Marker != MarkerType.None), Is.True, "means: solid with markers");
        Assert.That(legend.Skip(2).All(e => e.LineStyle != LineStyle.Solid && e.Marker == MarkerType.None), Is.True, "single texts: dashed, no marker");
    }

    private static bool SameScreenPoints(LineSeries a, LineSeries b)
    {
        if (a.Points.Count == 0 || a.Points.Count != b.Points.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Points.Count; i++)
        {
            var pa = a.Transform(a.Points[i]);
            var pb = b.Transform(b.Points[i]);
            if (Math.Abs(pa.X - pb.X) > 0.5 || Math.Abs(pa.Y - pb.Y) > 0.5)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Inside(OxyRect box, OxyRect area) =>
        box.Left >= area.Left - Tolerance && box.Right <= area.Right + Tolerance && box.Top >= area.Top - Tolerance && box.Bottom <= area.Bottom + Tolerance;

    private static OxyRect Inflate(OxyRect r, double by) => new(r.Left - by, r.Top - by, r.Width + (2 * by), r.Height + (2 * by));

    private static double Overlap(OxyRect a, OxyRect b) =>
        Math.Min(Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left)), Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top)));

    private static string Describe(OxyRect r) => FormattableString.Invariant($"[{r.Left:0.#}..{r.Right:0.#} × {r.Top:0.#}..{r.Bottom:0.#}]");
}
