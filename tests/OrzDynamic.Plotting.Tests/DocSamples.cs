using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Rendering;

namespace OrzDynamic.Plotting.Tests;

/// <summary>
/// Regenerates the sample images of OrzDynamic.Plotting/docs from synthetic data. Explicit: run with
/// <c>dotnet test --filter FullyQualifiedName~DocSamples</c>.
/// </summary>
[Explicit("Writes into the source tree (OrzDynamic.Plotting/docs).")]
public class DocSamples
{
    [Test]
    public void WriteDocSamples()
    {
        var docs = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../OrzDynamic.Plotting/docs"));
        Assume.That(Directory.Exists(Path.GetDirectoryName(docs)), Is.True, docs);

        var comparison = ComparisonChartBuilder.Build(SampleData.Comparison());
        var trends = TrendsChartBuilder.Build(SampleData.Trend());
        ChartRenderer.SavePng(comparison, Path.Combine(docs, "sample_ld_comparison.png"));
        ChartRenderer.SavePng(trends, Path.Combine(docs, "sample_ld_trends.png"));

        using (PngAssert.DecodesWithSize(Path.Combine(docs, "sample_ld_comparison.png"), comparison.PreferredWidth, comparison.PreferredHeight))
        {
        }
    }
}
