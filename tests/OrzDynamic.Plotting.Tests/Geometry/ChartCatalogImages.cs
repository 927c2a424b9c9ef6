using OrzDynamic.Plotting.Rendering;

namespace OrzDynamic.Plotting.Tests.Geometry;

/// <summary>Writes every chart of <see cref="ChartCatalog"/> as PNG into the directory named by
/// <c>ORZ_CHART_CATALOG_DIR</c>, to look at what <see cref="ChartGeometryTests"/> checks. Explicit.</summary>
[Explicit("Writes PNG files for inspection.")]
public class ChartCatalogImages
{
    [Test]
    public void WriteCatalog()
    {
        var dir = Environment.GetEnvironmentVariable("ORZ_CHART_CATALOG_DIR");
        Assume.That(dir, Is.Not.Null.And.Not.Empty, "set ORZ_CHART_CATALOG_DIR");
        Directory.CreateDirectory(dir!);
        foreach (var data in ChartCatalog.All())
        {
            var chart = ((Func<RenderedChart>)data.Arguments[0]!)();
            var name = string.Concat(chart.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
            ChartRenderer.SavePng(chart.Chart, Path.Combine(dir!, name + ".png"));
        }
    }
}
