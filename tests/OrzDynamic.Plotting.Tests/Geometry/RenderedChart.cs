using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Rendering;
using OxyPlot;

namespace OrzDynamic.Plotting.Tests.Geometry;

/// <summary>A chart rendered through <see cref="ChartRenderer"/> with every panel's texts recorded: after the render
/// each <see cref="PlotModel"/> holds its final layout (plot area, axis transforms).</summary>
public sealed class RenderedChart
{
    private RenderedChart(string name, ChartComposition chart, IReadOnlyList<TextRecorder> recorders)
    {
        this.Name = name;
        this.Chart = chart;
        this.Texts = recorders.Select(r => (IReadOnlyList<RecordedText>)r.Texts).ToArray();
    }

    public string Name { get; }

    public ChartComposition Chart { get; }

    /// <summary>Texts drawn by each panel, in panel order.</summary>
    public IReadOnlyList<IReadOnlyList<RecordedText>> Texts { get; }

    internal static RenderedChart Render(string name, ChartComposition chart)
    {
        var recorders = new TextRecorder?[chart.Panels.Count];
        for (var i = 0; i < chart.Panels.Count; i++)
        {
            var index = i;
            chart.Panels[i].RenderingDecorator = rc => recorders[index] = new TextRecorder(rc);
        }

        using (ChartRenderer.Render(chart.Panels, chart.Layout, chart.PreferredWidth, chart.PreferredHeight))
        {
        }

        foreach (var panel in chart.Panels)
        {
            panel.RenderingDecorator = null;
        }

        Assert.That(recorders, Is.All.Not.Null, $"{name}: every panel was rendered");
        return new RenderedChart(name, chart, recorders!);
    }

    public override string ToString() => this.Name;
}
